"""Issue 14, case 1: which removals are "too many at once" (held back until allowed)."""

from __future__ import annotations

import pytest

from herald.indexing.sync import holds_back_removals


@pytest.mark.parametrize(
    ("missing", "stored", "held"),
    [
        (1, 1, False),  # the only post, deleted: editing
        (1, 2, False),  # one of two: editing
        (2, 2, True),  # all of them
        (2, 3, True),  # more than half
        (2, 4, False),  # half
        (3, 5, True),
        (0, 0, False),
    ],
)
def test_what_counts_as_too_many_at_once(missing: int, stored: int, held: bool) -> None:
    assert holds_back_removals(missing, stored, 0.5) is held
