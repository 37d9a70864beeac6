"""Issue 14, case 4: only regular files inside the content folder are read.

Before, `ln -s /etc/passwd content/passwd.md` made `/read passwd` print /etc/passwd and
`herald check` said OK; a FIFO or a device with a post's name was silently skipped.
"""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path

from click.testing import CliRunner

from herald.cli import main
from herald.content.loader import walk
from herald.content.source import NOT_REGULAR, OUTSIDE, Source, read_source, real_root
from herald.core.ports import Store
from herald.core.reader import ReaderService
from herald.core.views import ArticleView, Notice
from herald.indexing.prepare import prepare
from herald.indexing.sync import sync
from tests.conftest import WritePost

NOW = 1_900_000_000


async def run_sync(store: Store, root: Path) -> dict[str, str]:
    # A FIFO read the old way would block forever: a hang must fail, not stall the run.
    report = await asyncio.wait_for(sync(store.index, root, excerpt_chars=350, now=NOW), 120)
    return report.failed


async def test_a_link_to_etc_passwd_is_refused_served_nowhere_and_reported(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("fine.md", "ok", title="Fine", date="2025-01-01")
    (content_dir / "passwd.md").symlink_to("/etc/passwd")
    assert await run_sync(store, content_dir) == {"passwd.md": OUTSIDE}
    reader = ReaderService(store, clock=lambda: NOW)
    assert isinstance(await reader.article("passwd", lang="en"), Notice)
    found = await store.posts.search("root", now=NOW, offset=0, limit=5)
    assert found is not None and found.total == 0
    checked = CliRunner().invoke(main, ["check", str(content_dir)])
    assert checked.exit_code == 1
    assert f"passwd.md: {OUTSIDE}" in checked.output
    assert "root:" not in checked.output


async def test_fifos_sockets_and_devices_are_never_opened_and_are_reported(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("fine.md", "ok", title="Fine", date="2025-01-01")
    os.mkfifo(content_dir / "pipe.md")
    (content_dir / "zero.md").symlink_to("/dev/zero")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(content_dir / "sock.md"))
    try:
        failed = await run_sync(store, content_dir)
    finally:
        listener.close()
    assert failed == {"pipe.md": NOT_REGULAR, "sock.md": NOT_REGULAR, "zero.md": OUTSIDE}
    assert (await store.posts.latest(now=NOW, offset=0, limit=5)).total == 1


async def test_links_within_the_folder_are_fine_across_sub_folders(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("a/real.md", "shared words", title="Real", date="2025-01-01")
    (content_dir / "b").mkdir()
    (content_dir / "b" / "alias.md").symlink_to("../a/real.md")
    assert await run_sync(store, content_dir) == {}
    reader = ReaderService(store, clock=lambda: NOW)
    assert isinstance(await reader.article("b-alias", lang="en"), ArticleView)


def test_a_file_swapped_for_a_link_after_the_walk_is_refused_when_read(
    content_dir: Path, write_post: WritePost
) -> None:
    path = write_post("late.md", "harmless", title="Late", date="2025-01-01")
    assert "late.md" in walk(content_dir)
    path.unlink()
    path.symlink_to("/etc/passwd")
    prepared = prepare(content_dir, "late.md", None, 350)
    assert prepared.error == OUTSIDE and prepared.post is None


def test_a_path_through_a_linked_folder_is_refused_by_the_descriptor_check(
    tmp_path: Path, content_dir: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("secret", encoding="utf-8")
    (content_dir / "linked").symlink_to(outside)
    assert walk(content_dir) == {}  # a walk never enters a linked folder
    # The entry itself is a regular file: only the opened descriptor shows where it is.
    path = str(content_dir / "linked" / "secret.md")
    refused = read_source(path, real_root(content_dir), max_bytes=1000)
    assert not isinstance(refused, Source) and refused.reason == OUTSIDE
    inside = read_source(path, real_root(outside), max_bytes=1000)
    assert isinstance(inside, Source) and inside.data == b"secret"
