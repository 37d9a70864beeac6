import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from herald.indexing.tokens import index_text, query_terms
from herald.store.sqlite.search import match_expression


def indexed(text: str) -> list[str]:
    """The tokens the index keeps of `text`: its index text as FTS5's unicode61 splits it."""
    return re.findall(r"[^\W_]+", index_text(text))


def test_chinese_runs_become_overlapping_bigrams_then_their_last_character() -> None:
    assert indexed("梯度检查点") == ["梯度", "度检", "检查", "查点", "点"]
    assert indexed("梯") == ["梯"]


def test_every_script_boundary_is_a_token_boundary() -> None:
    assert indexed("FP8混合精度 training") == [
        *["FP", "8", "混合", "合精", "精度", "度", "training"]
    ]
    assert indexed("我们用LoRA微调") == ["我们", "们用", "用", "LoRA", "微调", "调"]
    assert indexed("Qwen2.5-VL") == ["Qwen", "2", "5", "VL"]


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        ("LoRA微调", '"LoRA 微调"'),
        ("GPU显存", '"GPU 显存"'),
        ("FP8训练", '"FP 8 训练"'),
        ("KV缓存", '"KV 缓存"'),
        ("Self-Attention", '"Self Attention"*'),
        ("Qwen2.5-VL", '"Qwen 2 5 VL"'),
        ("用LoRA", '"用 LoRA"*'),
        ("们用LoRA", '"们用 用 LoRA"*'),
    ],
)
def test_mixed_words_are_phrases_of_the_tokens_the_index_holds(query: str, phrase: str) -> None:
    assert match_expression(query) == phrase


def test_latin_words_are_prefixes_from_three_letters() -> None:
    assert [t.prefix for t in query_terms("kv flash attn a gpu")] == [
        False,
        True,
        True,
        False,
        True,
    ]
    assert [t.prefix for t in query_terms("flash at")] == [True, False]
    assert [t.prefix for t in query_terms("2025 fp8")] == [False, False]  # digits are whole


def test_two_character_query_is_one_bigram_phrase() -> None:
    assert match_expression("梯度") == '"梯度"'


def test_longer_chinese_query_is_a_phrase_of_adjacent_bigrams() -> None:
    assert match_expression("检查点") == '"检查 查点"'


def test_terms_are_anded_and_punctuation_is_dropped() -> None:
    assert match_expression("flash-attention 显存") == '"flash attention"* AND "显存"'


def test_single_cjk_character_is_a_prefix_match() -> None:
    assert match_expression("梯") == '"梯"*'
    assert match_expression("LoRA微") == '"LoRA 微"*'


def test_fts_syntax_typed_by_a_user_is_neutralised() -> None:
    expression = match_expression('title:foo OR "bar" NEAR(x y) * ^baz -qux')
    assert expression == (
        '"title foo"* AND "OR" AND "bar"* AND "NEAR x" AND "y" AND "baz"* AND "qux"*'
    )


def test_nothing_searchable_gives_none() -> None:
    assert match_expression("   ") is None
    assert match_expression('*** "" () :') is None


@given(st.text(max_size=60))
def test_any_query_yields_none_or_quoted_phrases(query: str) -> None:
    expression = match_expression(query)
    if expression is None:
        return
    for phrase in expression.split(" AND "):
        body = phrase.removesuffix("*")
        assert body.startswith('"') and body.endswith('"')
        assert '"' not in body[1:-1]


@given(st.text(alphabet=st.sampled_from("梯度检查点のか한ab1 。")))
def test_each_cjk_run_becomes_its_bigrams_then_its_last_character(text: str) -> None:
    cjk = "梯度检查点のか한"
    words = indexed(text)
    runs = "".join(c if c in cjk else " " for c in text).split()
    expected_cjk = [
        token
        for run in runs
        for token in (
            [run] if len(run) == 1 else [*(run[i : i + 2] for i in range(len(run) - 1)), run[-1]]
        )
    ]
    assert [w for w in words if w[0] in cjk] == expected_cjk
    others = "".join(" " if c in cjk else c for c in text)
    assert [w for w in words if w[0] not in cjk] == re.findall(r"[ab]+|1+", others)
