"""Issue 14, case 6: the size cap is checked before reading, and reading is bounded.

Before, a 6 GB sparse `.md` was read whole (6.3 GB of memory, 40 s) before its size was
checked; under a memory limit the whole sync failed and loaded nothing.
"""

from __future__ import annotations

from pathlib import Path

from herald.content.loader import read_post
from herald.content.post import LoadError
from herald.content.source import Source, Unreadable, read_source, real_root
from herald.core.ports import Store
from herald.indexing.sync import sync
from herald.limits import MAX_POST_BYTES
from tests.conftest import WritePost

SIX_GB = 6 * 10**9


def bytes_read_by_this_process() -> int:
    """What every read(2) of this process returned so far (Linux `/proc/self/io`)."""
    with open("/proc/self/io", encoding="ascii") as io:
        return next(int(line.split()[1]) for line in io if line.startswith("rchar:"))


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)  # no data blocks: costs nothing on disk
    return path


def test_a_6_gb_file_is_refused_without_being_read(content_dir: Path) -> None:
    huge = sparse(content_dir / "huge.md", SIX_GB)
    before = bytes_read_by_this_process()
    loaded = read_post(content_dir, huge)
    read = bytes_read_by_this_process() - before
    assert isinstance(loaded, LoadError)
    assert loaded.reason == "is 6000.0 MB, over the 2 MB limit"
    assert read < MAX_POST_BYTES  # not even the cap's worth: only its fstat was looked at


def test_a_file_is_read_up_to_the_cap_and_never_further(content_dir: Path) -> None:
    root = real_root(content_dir)
    exact = content_dir / "exact.md"
    exact.write_bytes(b"x" * 100)
    found = read_source(str(exact), root, max_bytes=100)
    assert isinstance(found, Source) and found.data == b"x" * 100
    over = read_source(str(exact), root, max_bytes=99)
    assert isinstance(over, Unreadable) and "over the" in over.reason


async def test_a_sync_with_a_6_gb_file_loads_everything_else(
    store: Store, content_dir: Path, write_post: WritePost
) -> None:
    write_post("fine.md", "ok", title="Fine", date="2025-01-01")
    sparse(content_dir / "huge.md", SIX_GB)
    report = await sync(store.index, content_dir, excerpt_chars=350, now=1_900_000_000)
    assert report.added == ["fine.md"]
    assert report.failed == {"huge.md": "is 6000.0 MB, over the 2 MB limit"}
    again = await sync(store.index, content_dir, excerpt_chars=350, now=1_900_000_000)
    assert again.parsed == 0  # an unchanged refusal is not looked at again
