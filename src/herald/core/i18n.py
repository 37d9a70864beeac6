"""Every sentence Herald says, in Chinese and English, looked up by key.

Adapters never hard-code user-facing text: they ask `t(lang, key, **values)`, so a new
language is one more dictionary and every platform speaks it at once.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
DEFAULT_LANGUAGE: Language = "zh"
"""For readers whose platform names no language Herald speaks (`[bot] default_language`)."""

_MESSAGES: dict[str, dict[Language, str]] = {
    "banner": {"zh": "INCOMING TRANSMISSION", "en": "INCOMING TRANSMISSION"},
    "latest.heading": {"zh": "LATEST UPDATES", "en": "LATEST UPDATES"},
    "tag.heading": {"zh": "TAG · {tag}", "en": "TAG · {tag}"},
    "search.heading": {"zh": "SEARCH · {query}", "en": "SEARCH · {query}"},
    "page": {"zh": "第 {page}/{pages} 页", "en": "page {page}/{pages}"},
    "welcome": {
        "zh": "欢迎！这里是一份机器学习笔记的知识库。发送 /latest 看最新文章，/help 查看全部命令。",
        "en": "Welcome! This is a knowledge base of machine-learning notes. "
        "Send /latest for the newest posts, /help for every command.",
    },
    "empty.latest": {"zh": "还没有文章。", "en": "Nothing has been published yet."},
    "empty.search": {
        "zh": "没有找到与「{query}」相关的文章。换个关键词试试？",
        "en": "No posts match “{query}”. Try other words?",
    },
    "empty.tag": {"zh": "标签「{tag}」下还没有文章。", "en": "No posts are tagged “{tag}”."},
    "empty.tags": {"zh": "还没有任何标签。", "en": "There are no tags yet."},
    "search.nothing": {
        "zh": "请在 /search 后面写上要找的词，例如：/search 梯度",
        "en": "Write what to look for after /search, e.g. /search attention",
    },
    "search.too_long": {
        "zh": "搜索词太长了（最多 {limit} 个字符）。",
        "en": "That search is too long (at most {limit} characters).",
    },
    "page.out_of_range": {
        "zh": "没有第 {page} 页，共 {pages} 页。",
        "en": "There is no page {page}; there are {pages}.",
    },
    "page.invalid": {
        "zh": "页码要是正整数，例如 /latest 2",
        "en": "A page is a positive number, e.g. /latest 2",
    },
    "read.usage": {
        "zh": "用法：/read <编号或 slug>，例如 /read 1",
        "en": "Usage: /read <number or slug>, e.g. /read 1",
    },
    "read.not_found": {
        "zh": "找不到文章「{ref}」。用 /latest 或 /search 找找看？",
        "en": "There is no post “{ref}”. Try /latest or /search?",
    },
    "read.number_out_of_range": {
        "zh": "列表里没有第 {number} 篇（共 {total} 篇）。",
        "en": "There is no item {number} in the list (it has {total}).",
    },
    "tag.usage": {
        "zh": "用法：/tag <标签>，先用 /tags 看看有哪些。",
        "en": "Usage: /tag <name> — see /tags.",
    },
    "tags.heading": {"zh": "全部标签", "en": "ALL TAGS"},
    "action.stale": {
        "zh": "这个按钮已经失效了，发送 /latest 重新开始吧。",
        "en": "That button has expired — send /latest to start again.",
    },
    "action.gone": {
        "zh": "这篇文章已经不在了。",
        "en": "That post is no longer available.",
    },
    "unknown.command": {
        "zh": "不认识的命令 {command}。发送 /help 查看全部命令。",
        "en": "Unknown command {command}. Send /help to see them all.",
    },
    "subscribe.all": {
        "zh": "已订阅：有新文章时会推送到这里。/unsubscribe 取消。",
        "en": "Subscribed: new posts will be pushed here. /unsubscribe to stop.",
    },
    "subscribe.tags": {
        "zh": "已订阅这些标签的新文章：{tags}。/unsubscribe 取消。",
        "en": "Subscribed to new posts tagged: {tags}. /unsubscribe to stop.",
    },
    "unsubscribe.done": {"zh": "已取消订阅。", "en": "Unsubscribed."},
    "unsubscribe.tags": {
        "zh": "已移除这些标签；仍订阅：{tags}。",
        "en": "Removed those tags; still subscribed to: {tags}.",
    },
    "unsubscribe.none": {"zh": "这里还没有订阅。", "en": "There is no subscription here."},
    "subscribe.status.none": {"zh": "当前没有订阅。", "en": "Not subscribed."},
    "subscribe.admins_only": {
        "zh": "只有管理员可以修改这里的订阅。",
        "en": "Only administrators can change this chat's subscription.",
    },
    "button.read": {"zh": "阅读 {number}", "en": "Read {number}"},
    "button.first": {"zh": "« 首页", "en": "« First"},
    "button.previous": {"zh": "‹ 上一页", "en": "‹ Prev"},
    "button.next": {"zh": "下一页 ›", "en": "Next ›"},
    "button.last": {"zh": "末页 »", "en": "Last »"},
    "button.back": {"zh": "返回列表", "en": "Back to list"},
    "button.share": {"zh": "分享", "en": "Share"},
    "button.open": {"zh": "打开全文", "en": "Open full post"},
    "language.set": {"zh": "好的，之后用中文回复。", "en": "OK, replies will be in English."},
    "language.usage": {
        "zh": "用法：/language zh 或 /language en",
        "en": "Usage: /language zh or /language en",
    },
    "error.internal": {
        "zh": "抱歉，出了点问题，已经记录下来了。请稍后再试。",
        "en": "Sorry, something went wrong; it has been logged. Please try again later.",
    },
    "help.heading": {"zh": "可用命令", "en": "Commands"},
    "console.hints": {
        "zh": "n / p — 下一页 / 上一页（长文章里：下一部分 / 上一部分）· all — 整篇 · /quit 退出",
        "en": "n / p — next / previous page (in a long article: part) · all — the whole "
        "article · /quit to leave",
    },
    "console.read_hint": {"zh": "/read <编号>", "en": "/read <n>"},
    "console.tag_hint": {"zh": "/tag <标签>", "en": "/tag <name>"},
    "placeholder.code": {"zh": "[代码]", "en": "[code]"},
    "placeholder.formula": {"zh": "[公式]", "en": "[formula]"},
    "placeholder.math": {"zh": "[Math]", "en": "[math]"},
    # Command menus and /help: one line per command of the registry (core/commands.py).
    "command.start": {"zh": "开始使用", "en": "Start here"},
    "command.help": {"zh": "查看全部命令", "en": "Show every command"},
    "command.latest": {"zh": "最新文章", "en": "Latest posts"},
    "command.read": {"zh": "阅读全文", "en": "Read a post in full"},
    "command.search": {"zh": "全文搜索", "en": "Full-text search"},
    "command.tags": {"zh": "全部标签", "en": "All tags"},
    "command.tag": {"zh": "某个标签下的文章", "en": "Posts with a tag"},
    "command.subscribe": {"zh": "订阅新文章推送", "en": "Get new posts pushed here"},
    "command.unsubscribe": {"zh": "取消订阅", "en": "Stop pushes"},
    "command.language": {"zh": "切换语言", "en": "Switch language"},
    "argument.page": {"zh": "页码", "en": "Page number"},
    "argument.article": {"zh": "编号、标题或 slug", "en": "Number, title or slug"},
    "argument.query": {"zh": "要找的词", "en": "Words to look for"},
    "argument.name": {"zh": "标签名", "en": "Tag name"},
    "argument.tags": {
        "zh": "只推送带这些标签的文章（可选）",
        "en": "Only posts with these tags (optional)",
    },
    "argument.language": {"zh": "语言", "en": "Language"},
    "usage.page": {"zh": "[页码]", "en": "[page]"},
    "usage.article": {"zh": "<编号|slug>", "en": "<n|slug>"},
    "usage.query": {"zh": "<关键词>", "en": "<query>"},
    "usage.name": {"zh": "<标签>", "en": "<name>"},
    "usage.tags": {"zh": "[标签…]", "en": "[tags…]"},
    "usage.language": {"zh": "<zh|en>", "en": "<zh|en>"},
    "language.zh": {"zh": "中文", "en": "Chinese"},
    "language.en": {"zh": "英文", "en": "English"},
    # group C (issue 14): bounded subscriptions.
    "subscribe.too_many_tags": {
        "zh": "一个订阅最多 {limit} 个标签（这样会有 {count} 个），没有做任何修改。",
        "en": "A subscription can have at most {limit} tags (that would make {count}); "
        "nothing was changed.",
    },
    "subscribe.tag_too_long": {
        "zh": "标签太长了（最多 {limit} 个字符），没有做任何修改。",
        "en": "That tag is too long (at most {limit} characters); nothing was changed.",
    },
    # group A (issue 14): a command that writes while the store refuses writes.
    "store.unavailable": {
        "zh": "暂时没法保存，请过一分钟再试。",
        "en": "I can't save that right now; please try again in a minute.",
    },
    # group E (issue 15): the article pager, the console's hints.
    "article.part": {"zh": "第 {part}/{parts} 部分", "en": "part {part}/{parts}"},
    "article.no_images": {
        "zh": "这篇文章没有可以发送的图片。",
        "en": "This post has no images to send.",
    },
    "button.part_first": {"zh": "«", "en": "«"},
    "button.part_previous": {"zh": "‹", "en": "‹"},
    "button.part_next": {"zh": "›", "en": "›"},
    "button.part_last": {"zh": "»", "en": "»"},
    "button.send_all": {"zh": "全文逐条发送", "en": "Send all"},
    "button.images": {"zh": "🖼 图片（{count}）", "en": "🖼 Images ({count})"},
    "console.page_hint": {
        "zh": "/read <编号> · n 下一页 · p 上一页",
        "en": "/read <n> · n next page · p previous page",
    },
    "console.part_hint": {
        "zh": "n 下一部分 · p 上一部分 · all 整篇",
        "en": "n next part · p previous part · all the whole article",
    },
    "console.quit_hint": {"zh": "/quit 退出", "en": "/quit to leave"},
    "console.first_page": {"zh": "这已经是第一页了。", "en": "This is the first page."},
    "console.last_page": {"zh": "这已经是最后一页了。", "en": "This is the last page."},
    "console.first_part": {"zh": "这已经是第一部分了。", "en": "This is the first part."},
    "console.last_part": {"zh": "这已经是最后一部分了。", "en": "This is the last part."},
    # group F (issue 15): per-subscription options (/settings), tags that work when tapped.
    "command.settings": {
        "zh": "推送设置：静音、发送方式、链接预览",
        "en": "Push settings: silent, what is sent, link previews",
    },
    "argument.change": {
        "zh": "silent on|off、mode card|article|title 或 preview on|off",
        "en": "silent on|off, mode card|article|title, or preview on|off",
    },
    "usage.change": {"zh": "[silent|mode|preview …]", "en": "[silent|mode|preview …]"},
    "settings.heading": {"zh": "推送设置", "en": "PUSH SETTINGS"},
    "settings.summary": {
        "zh": "{scope}订阅：{what}\n静音：{silent} · 发送：{mode} · 链接预览：{preview}",
        "en": "{scope} is subscribed to {what}.\nSilent: {silent} · Sent as: {mode} · "
        "Link preview: {preview}",
    },
    "settings.scope.chat": {"zh": "这里的", "en": "This chat"},
    "settings.scope.topic": {"zh": "这个话题的", "en": "This topic"},
    "settings.everything": {"zh": "所有新文章", "en": "every new post"},
    "settings.tagged": {"zh": "带这些标签的新文章：{tags}", "en": "new posts tagged {tags}"},
    "settings.on": {"zh": "开", "en": "on"},
    "settings.off": {"zh": "关", "en": "off"},
    "settings.mode.card": {"zh": "摘要卡片", "en": "card"},
    "settings.mode.article": {"zh": "全文", "en": "full article"},
    "settings.mode.title": {"zh": "仅标题", "en": "title only"},
    "settings.hint": {
        "zh": "点下面的按钮修改，或发送 /settings silent on、/settings mode article、"
        "/settings preview off。",
        "en": "Change it with the buttons, or send /settings silent on, /settings mode "
        "article, /settings preview off.",
    },
    "settings.not_subscribed": {
        "zh": "这里还没有订阅：先发送 /subscribe，再用 /settings 设置推送方式。",
        "en": "Nothing is subscribed here yet: send /subscribe first, then /settings.",
    },
    "settings.usage": {
        "zh": "用法：/settings silent on|off、/settings mode card|article|title、"
        "/settings preview on|off",
        "en": "Usage: /settings silent on|off, /settings mode card|article|title, "
        "/settings preview on|off",
    },
    "settings.chosen": {"zh": "✓ {label}", "en": "✓ {label}"},
    "button.silent": {"zh": "🔕 静音：{state}", "en": "🔕 Silent: {state}"},
    "button.preview": {"zh": "🔗 链接预览：{state}", "en": "🔗 Link preview: {state}"},
    "button.read_more": {"zh": "继续阅读", "en": "Read more"},
    "tags.menu": {"zh": "打开一个标签…", "en": "Open a tag…"},
    # issue 17: a query with nothing searchable in it (emoji only, punctuation).
    "search.unsearchable": {
        "zh": "「{query}」里没有可以搜索的字词（表情和标点不会被索引）。"
        "请写几个字或词，例如：/search 显存",
        "en": "“{query}” has nothing to search for: emoji and punctuation are not indexed. "
        "Try a word, e.g. /search attention",
    },
    # issue 20: the web reader (`herald.web`) and its button in the chats.
    "button.reader": {"zh": "📖 网页阅读", "en": "📖 Open in reader"},
    "web.latest": {"zh": "最新", "en": "Latest"},
    "web.search": {"zh": "搜索", "en": "Search"},
    "web.search_label": {"zh": "搜索文章", "en": "Search the posts"},
    "web.tag_heading": {"zh": "标签 #{tag}", "en": "Tagged #{tag}"},
    "web.search_heading": {"zh": "搜索「{query}」", "en": "Search: “{query}”"},
    "web.results": {"zh": "共 {total} 篇", "en": "Posts: {total}"},
    "web.previous": {"zh": "‹ 上一页", "en": "‹ Newer"},
    "web.next": {"zh": "下一页 ›", "en": "Older ›"},
    "web.not_found": {"zh": "找不到这个页面", "en": "Page not found"},
    "web.not_found_text": {
        "zh": "这篇文章不存在、尚未发布，或已被移除。",
        "en": "This post does not exist, is not published yet, or was removed.",
    },
}


FALLBACK: Language = "en"
"""What a sentence falls back to for a language Herald does not speak."""
DISCORD_LOCALES: dict[Language, tuple[str, ...]] = {"zh": ("zh-CN", "zh-TW"), "en": ()}
"""Discord locales that get each language's command descriptions (English is the default)."""


def t(lang: str, key: str, **values: object) -> str:
    entry = _MESSAGES[key]
    text = entry[language_of(lang, FALLBACK)]
    return text.format(**values) if values else text


def parse_language(text: str | None) -> Language | None:
    """`zh`, `EN`, ` en `: the language named, or None if it is not one Herald speaks."""
    wanted = (text or "").strip().lower()
    return next((lang for lang in LANGUAGES if lang == wanted), None)


_NAMES: dict[Language, frozenset[str]] = {
    "zh": frozenset({"cn", "chinese", "中文"}),
    "en": frozenset({"english"}),
}
"""What else a frontmatter `lang:` may say for each language (besides `zh-CN`, `en_US`…)."""
CJK_SHARE: dict[Language, float] = {"zh": 0.05, "en": 0.0}
"""The share of CJK characters in a text from which it is taken to be in that language
(the highest threshold it reaches wins)."""


def language_named(text: str) -> Language | None:
    """The language a frontmatter value names: `zh`, `zh-Hans`, `EN`, `Chinese`, `中文`."""
    wanted = text.strip().lower()
    for lang in LANGUAGES:
        if wanted.startswith(lang) or wanted in _NAMES[lang]:
            return lang
    return None


def language_by_script(cjk_share: float) -> Language:
    """A text's language from the share of its visible characters that are CJK."""
    return max(
        (lang for lang in LANGUAGES if cjk_share >= CJK_SHARE[lang]), key=CJK_SHARE.__getitem__
    )


def language_of(code: str | None, default: Language = DEFAULT_LANGUAGE) -> Language:
    """Map a platform locale (`zh-hans`, `zh-TW`, `en-US`, `de`) to a supported language."""
    code = (code or "").lower()
    return next((lang for lang in LANGUAGES if code.startswith(lang)), default)
