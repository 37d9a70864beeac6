"""Search on PostgreSQL finds what SQLite's FTS5 finds: the same files synced into both,
the same queries asked of both, the same matches and counts (the contract suite checks the
ranking rules; this checks the matching over many more queries than it names).

The queries are every word of the corpus, its single CJK characters (prefixes), pieces
across word boundaries, mixed-script terms, diacritics and case, and a few hundred
random combinations of them (a fixed seed: the same queries every run).
"""

from __future__ import annotations

import random
from pathlib import Path

from herald.core.ports import Store
from herald.indexing.sync import sync
from herald.store import open_store
from tests.conftest import WritePost

NOW = 1_900_000_000
WORDS = [
    "梯度检查点", "显存", "LoRA微调", "微调LoRA", "GPT4o量化", "FlashAttention-2", "café",
    "naïve", "Über", "arxiv.org/abs/2205.14135", "数据并行", "模型", "training", "gradient",
    "東京タワー", "한국어", "ｆｕｌｌｗｉｄｔｈ", "x86_64", "C++", "don't", "3.14", "v2",
]  # fmt: skip
TAGS = ["训练", "LLM", "Optimizer", "注意力", "Ärger"]


def _corpus(write_post: WritePost, rng: random.Random) -> None:
    for n in range(40):
        title = " ".join(rng.sample(WORDS, 2))
        body = (
            "，".join(rng.choice(WORDS) for _ in range(12)) + "。 " + " ".join(rng.sample(WORDS, 5))
        )
        tags = rng.sample(TAGS, rng.randint(0, 2))
        date = f"2025-{1 + n % 12:02d}-{1 + n % 27:02d}"
        write_post(f"p{n:02d}.md", body, title=title, date=date, tags=tags, draft=n % 13 == 5)


def _queries(rng: random.Random) -> list[str]:
    pieces = [*WORDS, *TAGS, "梯度", "检查", "度显", "lora", "LORA 微调", "cafe", "CAFÉ", "uber"]
    pieces += sorted({char for word in WORDS for char in word if "\u4e00" <= char <= "\u9fff"})
    pieces += ["flash", "attention", "arxiv", "2205", "abs", "x86", "64", "don", "t", "量化 gpt4o"]
    pieces += ["", "  ", "***", '"', "AND", "NOT 显存", "(", "显存*", "-2", "nothing-here"]
    randoms = [" ".join(rng.sample(pieces, rng.randint(1, 3))) for _ in range(300)]
    return [*pieces, *randoms]


async def _answers(store: Store, queries: list[str]) -> list[object]:
    found: list[object] = []
    for query in queries:
        result = await store.posts.search(query, now=NOW, offset=0, limit=100)
        found.append(result and (result.total, sorted(post.slug for post in result.items)))
    return found


async def test_postgres_matches_what_sqlite_matches(
    tmp_path: Path, content_dir: Path, write_post: WritePost, postgres_url: str
) -> None:
    rng = random.Random(19)
    _corpus(write_post, rng)
    queries = _queries(rng)
    answers = []
    for location in (tmp_path / "herald.db", postgres_url):
        store = await open_store(location, excerpt_chars=350)
        try:
            await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
            answers.append(await _answers(store, queries))
            answers.append(await store.posts.tags(now=NOW))
        finally:
            await store.close()
    on_sqlite, sqlite_tags, on_postgres, postgres_tags = answers
    hits = [answer for answer in on_sqlite if isinstance(answer, tuple) and answer[0]]
    assert len(hits) > len(queries) // 3  # the queries do find things
    differences = [
        (query, a, b) for query, a, b in zip(queries, on_sqlite, on_postgres, strict=True) if a != b
    ]
    assert differences == []
    assert sqlite_tags == postgres_tags


TRICKY = [
    "用LoRA微调模型，配合FlashAttention-2节省显存。",
    "arxiv.org/abs/2205.14135 and https://example.com/a_b?c=d#e",
    "Version 3.14.15, x86_64, C++ and don't; e-mail a.b@c.de",
    "ÄRGER über Café naïve Ωmega ΣΊΣΥΦΟΣ İstanbul ß",
    "हिन्दी भाषा, العربية, עברית, ไทย, 東京タワー, 한국어 문장",
    "ｆｕｌｌｗｉｄｔｈ ＡＢＣ１２３ ① ² ½ \u200b zero\u200dwidth",
    "emoji 🎉 mixed 😀text and \ue000private use",
    "a" * 3000 + " after a word too long to be a lexeme",
]


def _vector(tokens: list[str]) -> str:
    """A tsvector literal of tokens at positions 1, 2, … (short texts: within every limit)."""
    positions: dict[str, list[str]] = {}
    for position, token in enumerate(tokens, start=1):
        positions.setdefault(token, []).append(f"{position}C")
    return " ".join(f"'{token}':{','.join(marks)}" for token, marks in positions.items())


async def test_the_server_parses_the_words_into_exactly_herald_s_tokens(
    postgres_url: str,
) -> None:
    """The index is made by the server from `words` (fast); it must hold exactly the
    tokens Herald makes of the text (`lexemes`, which the queries are made of), in order."""
    import psycopg

    from herald.indexing.tokens import index_text
    from herald.store.postgres.lexemes import lexemes, words

    rng = random.Random(7)
    texts = [index_text(text) for text in TRICKY]
    texts += [index_text(" ".join(rng.choices([*WORDS, *TAGS], k=60))) for _ in range(50)]
    async with await psycopg.AsyncConnection.connect(postgres_url) as conn:
        for text in texts:
            cursor = await conn.execute(
                "SELECT setweight(to_tsvector('simple', %s), 'C')::text, %s::tsvector::text",
                (words(text), _vector(lexemes(text))),
            )
            row = await cursor.fetchone()
            assert row is not None and row[0] == row[1], text[:80]


async def test_a_long_post_is_found_by_a_phrase_and_by_words_far_apart(
    tmp_path: Path, content_dir: Path, write_post: WritePost, postgres_url: str
) -> None:
    """A body of several search parts: a phrase at its end, one across a cut between two
    parts, two words in different parts are found, as on SQLite; words apart no phrase."""
    from herald.store.postgres.lexemes import PART_OVERLAP, PART_WORDS

    filler = ["filler"] * (PART_WORDS - 3)  # one token each: the phrase straddles the cut
    body = " ".join([*filler, "checkpoint", "梯度检查点", *filler, *filler, "LoRA微调"])
    assert PART_OVERLAP > 6  # the phrase's 6 tokens fit in the overlap
    write_post("long.md", body, title="长文", date="2025-01-01")
    write_post("short.md", "checkpoint LoRA", title="短文", date="2025-01-02")
    queries = ["LoRA微调", "checkpoint 梯度检查点", "checkpoint LoRA微调", "梯度检查点 LoRA"]
    queries += ["微调LoRA", "checkpoint LoRA", "filler lora"]
    answers = []
    for location in (tmp_path / "herald.db", postgres_url):
        store = await open_store(location, excerpt_chars=350)
        try:
            await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
            answers.append(await _answers(store, queries))
        finally:
            await store.close()
    assert answers[0] == answers[1]
    assert answers[1][:4] == [(1, ["long"])] * 4 and answers[1][4] == (0, [])
