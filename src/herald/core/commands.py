"""The command catalogue: one list feeds /help, Telegram's menu and Discord's slash commands."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    args: str
    zh: str
    en: str
    admin: bool = False

    def description(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


COMMANDS: tuple[Command, ...] = (
    Command("start", "", "开始使用", "Start here"),
    Command("help", "", "查看全部命令", "Show every command"),
    Command("latest", "[page]", "最新文章", "Latest posts"),
    Command("read", "<n|slug>", "阅读全文", "Read a post in full"),
    Command("search", "<query>", "全文搜索", "Full-text search"),
    Command("tags", "", "全部标签", "All tags"),
    Command("tag", "<name>", "某个标签下的文章", "Posts with a tag"),
    Command("subscribe", "[tags...]", "订阅新文章推送", "Get new posts pushed here", admin=True),
    Command("unsubscribe", "[tags...]", "取消订阅", "Stop pushes", admin=True),
    Command("language", "<zh|en>", "切换语言", "Switch language"),
)


def help_text(lang: str, *, heading: str, prefix: str = "/") -> str:
    lines = [heading]
    for command in COMMANDS:
        usage = f"{prefix}{command.name} {command.args}".rstrip()
        lines.append(f"{usage} — {command.description(lang)}")
    return "\n".join(lines)
