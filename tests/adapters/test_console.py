"""The console adapter end to end: a real `herald` process, a real SQLite file, piped input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, WritePost


def herald(
    *args: str, stdin: str = "", cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "herald", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
    )


def seed(write_post: WritePost) -> None:
    for day in range(1, 8):
        write_post(
            f"p{day}.md",
            f"## 小节\n\n第 {day} 篇讲 Self-supervised 与 IoU>0.5 的关系。\n\n"
            f"```python\nprint({day})\n```\n",
            title=f"笔记 {day}",
            date=f"2025-02-0{day}",
            tags=["训练"],
        )


def five_a_page(tmp_path: Path) -> str:
    """A config of 5 cards a page (the default is 10), so the 7 seeded posts fill two."""
    path = tmp_path / "herald.toml"
    path.write_text("[bot]\npage_size = 5\n", encoding="utf-8")
    return str(path)


def test_piped_session_shows_feed_article_search_and_hints(
    tmp_path: Path, content_dir: Path, write_post: WritePost
) -> None:
    seed(write_post)
    script = "/latest\nn\n/read 6\n/search 训练\n/bogus\n/read 999\n/latest x\n/tags\n"
    result = herald(
        "console",
        "--config",
        five_a_page(tmp_path),
        "--content",
        str(content_dir),
        "--db",
        str(tmp_path / "h.db"),
        stdin=script,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "INCOMING TRANSMISSION" in out and "LATEST UPDATES" in out
    assert "[1] 笔记 7" in out and "第 1/2 页" in out and "第 2/2 页" in out
    assert "[6] 笔记 2" in out
    assert "Self-supervised 与 IoU>0.5" in out  # nothing lost on the card
    assert "[代码]" in out
    assert "print(2)" in out  # /read 6 opened the full article with its code
    assert "SEARCH · 训练" in out
    assert "不认识的命令 /bogus" in out
    assert "列表里没有第 999 篇" in out
    assert "页码要是正整数" in out
    assert "#训练 (7)" in out
    assert "Traceback" not in out + result.stderr


def test_run_without_tokens_is_the_console(
    tmp_path: Path, content_dir: Path, write_post: WritePost
) -> None:
    seed(write_post)
    result = herald(
        "run",
        "--config",
        five_a_page(tmp_path),
        "--content",
        str(content_dir),
        "--db",
        str(tmp_path / "h.db"),
        stdin="/latest 2\n",
    )
    assert result.returncode == 0, result.stderr
    assert "[6] 笔记 2" in result.stdout


def test_check_lists_bad_files_and_exits_1(content_dir: Path, write_post: WritePost) -> None:
    seed(write_post)
    (content_dir / "bad.md").write_bytes(b"\xff\xfe\x00")
    result = herald("check", str(content_dir))
    assert result.returncode == 1
    assert result.stdout.startswith("bad.md: ")
    assert "7 post(s) OK" in result.stderr


def test_bundled_content_is_clean() -> None:
    result = herald("check", str(REPO / "content"))
    assert result.returncode == 0, result.stdout


def test_sync_summarises_and_is_incremental(
    tmp_path: Path, content_dir: Path, write_post: WritePost
) -> None:
    seed(write_post)
    args = ("sync", "--content", str(content_dir), "--db", str(tmp_path / "h.db"))
    first = herald(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("added 7, updated 0, removed 0, unchanged 0, failed 0")
    second = herald(*args)
    assert second.stdout.startswith("added 0, updated 0, removed 0, unchanged 7, failed 0")


def test_bad_config_is_one_line_without_traceback(tmp_path: Path) -> None:
    config = tmp_path / "herald.toml"
    config.write_text("[bot]\npage_size = 99\n", encoding="utf-8")
    result = herald("sync", "--config", str(config))
    assert result.returncode == 2
    assert "[bot] page_size" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_content_folder_is_reported(tmp_path: Path) -> None:
    result = herald("sync", "--content", str(tmp_path / "nope"), "--db", str(tmp_path / "h.db"))
    assert result.returncode == 2 and "content folder not found" in result.stderr


def test_new_scaffolds_a_draft_that_check_accepts(content_dir: Path) -> None:
    result = herald("new", "注意力 机制 Notes", "--tag", "LLM", "--content", str(content_dir))
    assert result.returncode == 0, result.stderr
    created = Path(result.stdout.strip())
    assert created.name == "注意力-机制-notes.md"
    assert "draft: true" in created.read_text(encoding="utf-8")
    assert herald("check", str(content_dir)).returncode == 0
    again = herald("new", "注意力 机制 Notes", "--content", str(content_dir))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_outbox_reports_counts(tmp_path: Path, content_dir: Path, write_post: WritePost) -> None:
    seed(write_post)
    result = herald("outbox", "--content", str(content_dir), "--db", str(tmp_path / "h.db"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("pending 0  sending 0  sent 0  failed 0  dropped 0")
