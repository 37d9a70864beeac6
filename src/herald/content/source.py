"""Reading a post's file: only a regular file inside the content folder, never past the cap.

A symbolic link is followed only when its target is inside the content folder (links from
one sub-folder to another are fine).  Anything else that has a post's name — a link out
of the folder, a FIFO, a device, a socket — is never read and is reported with its reason.

The rule is checked twice.  When the folder is walked (`discovered_stat`), so a link out
of the folder is not even followed to stat its target.  And on the open file itself
(`read_source`), because a file can be swapped for a link between the walk and the read:
the descriptor's own path (`/proc/self/fd/N`, which names what was really opened, with
every link and `..` resolved) must lie inside the folder and `fstat` must say it is a
regular file.  Checking a path before opening it can always be raced; checking the
descriptor after opening cannot, and nothing is read before that check.  The open itself
is non-blocking, so even a FIFO swapped in at the last moment cannot hang a sync.

The size comes from that same descriptor before anything is read, and at most cap + 1
bytes are ever read, so a 6 GB file (or one that grows while it is read) costs one
`fstat`, not 6 GB of memory.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

OUTSIDE = "links outside the content folder"
NOT_REGULAR = "not a regular file"
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True, slots=True)
class Source:
    """A post file's bytes, read within the rules."""

    data: bytes
    size: int
    mtime_ns: int
    mtime: float


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Why a post file was not read; `size`/`mtime_ns` are what was seen of it (the entry
    itself for a refused link), so an unchanged refusal is not looked at again."""

    reason: str
    size: int = 0
    mtime_ns: int = 0


def real_root(root: str | os.PathLike[str]) -> str:
    """The content folder with every link resolved: what "inside" is measured against."""
    return os.path.realpath(root)


def is_inside(real_path: str, root: str) -> bool:
    return real_path == root or real_path.startswith(root.rstrip(os.sep) + os.sep)


def too_big(size: int, max_bytes: int) -> str:
    return f"is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit"


def discovered_stat(path: str, root: str, *, is_link: bool) -> tuple[int, int]:
    """(size, mtime_ns) of a post file as the walk records it: a confined link's target,
    otherwise the entry itself (a link out of the folder is never followed).

    Raises OSError if the entry vanished meanwhile."""
    if is_link:
        target = os.path.realpath(path)
        if is_inside(target, root):
            try:
                found = os.stat(target)
                return found.st_size, found.st_mtime_ns
            except OSError:
                pass  # a dangling link: reported when it is read
    found = os.lstat(path)
    return found.st_size, found.st_mtime_ns


def read_source(path: str, root: str, *, max_bytes: int) -> Source | Unreadable:
    """The bytes of the post file at `path` (under the real content folder `root`)."""
    try:
        seen = os.lstat(path)
    except OSError as exc:
        return Unreadable(f"cannot read: {exc.strerror}")
    refused = Unreadable(OUTSIDE, seen.st_size, seen.st_mtime_ns)
    if stat.S_ISLNK(seen.st_mode) and not is_inside(os.path.realpath(path), root):
        return refused  # the cheap check first: never open what is plainly outside
    if not stat.S_ISLNK(seen.st_mode) and not stat.S_ISREG(seen.st_mode):
        return Unreadable(NOT_REGULAR, seen.st_size, seen.st_mtime_ns)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        return Unreadable(f"cannot read: {exc.strerror}", seen.st_size, seen.st_mtime_ns)
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):
            return Unreadable(NOT_REGULAR, seen.st_size, seen.st_mtime_ns)
        if not _opened_inside(descriptor, path, root, opened):
            return refused
        if opened.st_size > max_bytes:
            return Unreadable(
                too_big(opened.st_size, max_bytes), opened.st_size, opened.st_mtime_ns
            )
        data = _read_at_most(descriptor, max_bytes + 1, expected=opened.st_size)
    except OSError as exc:
        return Unreadable(f"cannot read: {exc.strerror}", seen.st_size, seen.st_mtime_ns)
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:  # it grew after the fstat
        return Unreadable(too_big(len(data), max_bytes), opened.st_size, opened.st_mtime_ns)
    return Source(data, opened.st_size, opened.st_mtime_ns, opened.st_mtime)


def _opened_inside(descriptor: int, path: str, root: str, opened: os.stat_result) -> bool:
    """Whether the open file really is inside `root`: by the descriptor's own path where
    the system shows it (Linux), else by the path resolved again, which must still be the
    file that was opened."""
    try:
        return is_inside(os.readlink(f"/proc/self/fd/{descriptor}"), root)
    except OSError:
        pass
    real = os.path.realpath(path)
    try:
        again = os.stat(real)
    except OSError:
        return False
    same_file = (again.st_dev, again.st_ino) == (opened.st_dev, opened.st_ino)
    return same_file and is_inside(real, root)


def _read_at_most(descriptor: int, limit: int, *, expected: int) -> bytes:
    """Up to `limit` bytes; asks for the size `fstat` gave (plus one, to see the end),
    not for `limit` at once, which would allocate the whole cap for every small file."""
    chunks: list[bytes] = []
    left = limit
    want = min(expected + 1, limit)
    while left > 0:
        chunk = os.read(descriptor, min(want, left))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
        want = 64 * 1024  # it grew since the fstat: read on, a bounded piece at a time
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
