"""SQLite's own search trade-off: a word in very many posts is ranked among its newest."""

from pathlib import Path

import pytest

from herald.core.ports import Store
from herald.indexing.sync import sync
from tests.conftest import WritePost

NOW = 1_900_000_000


async def test_common_words_are_ranked_among_the_newest_matches(
    store: Store, content_dir: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    import herald.store.sqlite.search as search_module

    for i in range(12):
        write_post(f"c{i:02}.md", "共同词 filler", title=f"C{i}", date="2025-01-01")
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    monkeypatch.setattr(search_module, "RANKED_CANDIDATES", 5)
    found = await store.posts.search("共同词", now=NOW, offset=0, limit=10)
    assert found is not None and found.total == 5
    assert sorted(p.title for p in found.items) == ["C10", "C11", "C7", "C8", "C9"]


async def test_among_the_newest_matches_title_then_tags_then_recency_decide(
    store: Store, content_dir: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    import herald.store.sqlite.search as search_module

    for i in range(12):
        title = "共同词专题" if i in (2, 8) else f"C{i}"
        tags = ["共同词"] if i == 9 else []
        write_post(f"c{i:02}.md", "共同词 filler", title=title, date="2025-01-01", tags=tags)
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    monkeypatch.setattr(search_module, "RANKED_CANDIDATES", 5)
    queries = store.posts
    found = await queries.search("共同词", now=NOW, offset=0, limit=10)
    assert found is not None and found.total == 5
    # c02 has the word in its title too, but is not among the 5 newest matches.
    assert [p.slug for p in found.items] == ["c08", "c09", "c11", "c10", "c07"]
    second = await queries.search("共同词", now=NOW, offset=2, limit=2)
    assert second is not None and [p.slug for p in second.items] == ["c11", "c10"]
