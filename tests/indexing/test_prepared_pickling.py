"""A parsed file crosses from a sync worker to the writer by pickle: whole, field for field."""

from __future__ import annotations

import pickle
from dataclasses import fields
from datetime import UTC, datetime

from herald.content.post import Post
from herald.core.records import Prepared


def test_a_prepared_post_comes_back_equal_with_every_field() -> None:
    post = Post(
        path="a/b.md",
        slug="b",
        title="标题",
        date=datetime(2024, 5, 10, 8, tzinfo=UTC),
        body="正文 $x$",
        updated=datetime(2024, 6, 1, tzinfo=UTC),
        tags=("LLM", "训练"),
        summary="摘要",
        draft=True,
        lang="en",
        aliases=("old-b",),
        warnings=("read as GB18030",),
    )
    prepared = Prepared(
        "a/b.md",
        12,
        34,
        "ab" * 32,
        post=post,
        excerpt="摘要",
        fts=("标题", "llm", "正文"),
        error="e",
        unchanged=True,
        warning="w",
        skipped="s",
    )
    back = pickle.loads(pickle.dumps([prepared], protocol=pickle.HIGHEST_PROTOCOL))[0]
    assert back == prepared
    for record, copy in ((prepared, back), (post, back.post)):
        for field in fields(record):
            assert getattr(copy, field.name) == getattr(record, field.name), field.name
