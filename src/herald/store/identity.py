"""Whose row a file that loads takes: the rule every backend's sync writer follows.

Removal is not forgetting (issue 14): a post that stops being served keeps its row as a
tombstone, and a file that loads takes back the id of the post it is, so it is never
announced twice.  Which post it is comes from two rows the writer looks up: the row at its
path, and the holder of its slug (or deep-link key), a tombstone or a post leaving in this
sync.  The decision is the same SQL or not, so it lives here once; each backend does the
writes it implies (`herald.store.sqlite.write`, `herald.store.postgres.write`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Literal, Protocol, TypeVar

from herald.content.links import link_key

Kind = Literal["new", "updated", "revived"]
"""What taking the row means for the sync report."""


class StoredPost(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def removed(self) -> bool: ...


StoredRow = TypeVar("StoredRow", bound=StoredPost)


def slug_holder(
    slug: str, holders: Mapping[str, StoredRow], claimed: Collection[int]
) -> StoredRow | None:
    """The row holding this slug or its deep-link key that no file of this sync took yet."""
    holder = holders.get(slug) or holders.get(link_key(slug))
    return None if holder is None or holder.id in claimed else holder


def claimed_row(
    row: StoredPost | None, holder: StoredPost | None, claimed: Collection[int]
) -> tuple[int | None, Kind]:
    """The id a file takes (None: a new row) given the row at its path and its slug's
    holder: its own live row; else the live post it moved from (its old path leaves in
    this sync); else the tombstone at its path; else the tombstone of its slug (it came
    back under another path)."""
    if row is not None and not row.removed:
        return row.id, "updated"
    if holder is not None and not holder.removed:
        return holder.id, "revived"
    if row is not None and row.id not in claimed:
        return row.id, "revived"
    if holder is not None:
        return holder.id, "revived"
    return None, "new"
