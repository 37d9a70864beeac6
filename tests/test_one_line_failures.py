"""Issue 14, case 12: a mistake the operator can fix is one line and exit status 2.

Each through the real command line (`python -m herald …`), since what matters is what the
terminal shows: the line names the file, the section and the key (or `--db`), and no
traceback follows it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import WritePost

Run = subprocess.CompletedProcess[str]


def herald(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    return subprocess.run(
        [sys.executable, "-m", "herald", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8", **(env or {})},
    )


def assert_one_line(result: Run, *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for part in expected:
        assert part in lines[0]


def config(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "herald.toml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[bot]\ntimezone = "Mars/Olympus"\n', "[bot] timezone: unknown time zone 'Mars/Olympus'"),
        ('[bot]\npage_size = "5"\n', "[bot] page_size: Input should be a valid integer"),
        ("[bot]\npage_size = true\n", "[bot] page_size: Input should be a valid integer"),
        ('[push]\nenabled = "yes"\n', "[push] enabled: Input should be a valid boolean"),
        ('[telegram]\nmode = "webhook"\n', '[telegram] webhook_url: mode = "webhook" needs'),
        ("[telegram]\nmax_per_second = -1\n", "[telegram] max_per_second: Input should be"),
        ("[telegram]\nwebhook_port = 70000\n", "[telegram] webhook_port: Input should be"),
        ('[discord]\napi_base = "discord.com"\n', "[discord] api_base: should be an absolute"),
    ],
)
def test_config_mistakes_are_one_line_naming_file_section_and_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = config(tmp_path, text)
    assert_one_line(herald("sync", "--config", str(path)), f"{path}: {expected}")


def test_a_config_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    path = config(tmp_path, b"[bot]\npage_size = 5\n# caf\xe9 in Latin-1\n")
    assert_one_line(herald("sync", "--config", str(path)), f"{path}: not UTF-8 text (line 3)")


def test_the_store_on_a_device_is_one_line(tmp_path: Path, content_dir: Path) -> None:
    path = config(tmp_path, f'[content]\ndir = "{content_dir}"\n[store]\npath = "/dev/null"\n')
    result = herald("sync", "--config", str(path))
    assert_one_line(result, f"{path}: [store] path: /dev/null: is not a regular file")


def test_the_store_on_a_folder_is_one_line(tmp_path: Path, content_dir: Path) -> None:
    result = herald("sync", "--content", str(content_dir), "--db", str(tmp_path))
    assert_one_line(result, f"--db: {tmp_path}: is a folder")


def test_a_store_that_cannot_be_created_is_one_line(tmp_path: Path, content_dir: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    db = tmp_path / "a-file" / "herald.db"
    for command in ("sync", "outbox", "console"):
        result = herald(command, "--content", str(content_dir), "--db", str(db))
        assert_one_line(result, f"--db: {db}: cannot be created", "is a file, not a folder")


@contextlib.contextmanager
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB file system, where the test may mount one (root in a container)."""
    mount = tmp_path / f"tmpfs-{uuid.uuid4().hex[:8]}"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0 or os.geteuid() != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_during_sync_names_the_real_cause(
    tmp_path: Path, content_dir: Path, write_post: WritePost
) -> None:
    with small_tmpfs(tmp_path) as disk:
        args = ("sync", "--content", str(content_dir), "--db", str(disk / "h.db"))
        assert herald(*args).returncode == 0  # the empty store fits
        for number in range(400):  # ~4 MB of posts do not
            write_post(f"p{number}.md", f"word{number} " * 1000, title=f"Post {number}")
        result = herald(*args)
    assert_one_line(result, "full")
    assert "cannot rollback" not in result.stderr
