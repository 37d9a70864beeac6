"""`herald sync` says what it held back and why, and `--allow-removals` lets it through."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.test_console import herald
from tests.conftest import WritePost


def test_held_back_removals_are_listed_with_the_flag_that_applies_them(
    tmp_path: Path, content_dir: Path, write_post: WritePost
) -> None:
    for number in range(4):
        write_post(f"p{number}.md", f"Post {number}.", title=f"Post {number}")
    args = ("sync", "--content", str(content_dir), "--db", str(tmp_path / "h.db"))
    assert herald(*args).returncode == 0
    for number in range(3):  # three of four vanish at once: held back
        (content_dir / f"p{number}.md").unlink()
    held = herald(*args)
    assert held.returncode == 0, held.stderr
    lines = held.stdout.splitlines()
    assert lines[0].startswith("added 0, updated 0, removed 0,")
    assert sorted(line for line in lines if "removal held back" in line) == [
        f"  p{number}.md: removal held back" for number in range(3)
    ]
    assert lines[-1].startswith("held back 3 removal(s)") and "--allow-removals" in lines[-1]
    allowed = herald(*args, "--allow-removals")
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.startswith("added 0, updated 0, removed 3,")
    assert "held back" not in allowed.stdout
