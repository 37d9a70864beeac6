"""Property (issue 17): any piece of a post's visible text that starts and ends at token
boundaries finds that post, as typed and with spaces added at its script boundaries.

Tokens here are defined independently of Herald's tokenizer: one CJK character, a run of
ASCII letters, a run of digits.  Every example adds a post to the same store, so the
search also has to pick the post out of the ones before it.
"""

import itertools
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from herald.core.ports import Store
from herald.indexing.sync import sync
from tests.conftest import WritePost

NOW = 1_900_000_000
LATIN = ["LoRA", "GPU", "flash", "Attention", "Qwen", "VL", "FP", "KV", "x", "self"]
DIGITS = ["8", "2", "5", "2025", "16"]
CJK = ["微调", "显存", "训练", "缓存", "模型", "的", "我们用", "注意力", "检查点"]
GAPS = ["", "", " ", "-", ".", "，", "。", "/", "、"]
TOKEN = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]+|[0-9]+")
_numbers = itertools.count()

pieces = st.lists(
    st.tuples(st.sampled_from(LATIN + DIGITS + CJK), st.sampled_from(GAPS)), min_size=1, max_size=12
)


def visible(pairs: list[tuple[str, str]]) -> str:
    return "".join(piece + gap for piece, gap in pairs).strip(" -./")


def spaced(text: str) -> str:
    """A space at every boundary between a CJK character and a letter or digit."""
    text = re.sub(
        r"(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u4e00-\u9fff])", " ", text
    )
    return re.sub(r"(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])", " ", text)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pairs=pieces, data=st.data())
async def test_a_token_run_of_the_text_finds_its_post(
    store: Store,
    content_dir: Path,
    write_post: WritePost,
    pairs: list[tuple[str, str]],
    data: st.DataObject,
) -> None:
    text = visible(pairs)
    tokens = list(TOKEN.finditer(text))
    if not tokens:
        return
    first = data.draw(st.integers(0, len(tokens) - 1), label="first token")
    last = data.draw(st.integers(first, min(first + 5, len(tokens) - 1)), label="last token")
    piece = text[tokens[first].start() : tokens[last].end()]
    number = next(_numbers)
    title = f"Post {number}"
    write_post(f"p{number}.md", f"正文：{text}", title=title, date="2025-01-01")
    await sync(store.index, content_dir, excerpt_chars=350, now=NOW)
    for query in (piece, spaced(piece)):
        found = await store.posts.search(query, now=NOW, offset=0, limit=200)
        assert found is not None, query
        assert title in [post.title for post in found.items], (text, query)
