from hypothesis import given
from hypothesis import strategies as st

from herald.indexing.tokens import index_text
from herald.store.sqlite.search import match_expression


def test_chinese_runs_become_overlapping_bigrams() -> None:
    assert index_text("梯度检查点").split() == ["梯度", "度检", "检查", "查点"]


def test_mixed_text_keeps_latin_words_and_splits_cjk() -> None:
    assert index_text("FP8混合精度 training").split() == ["FP8", "混合", "合精", "精度", "training"]


def test_two_character_query_is_one_bigram_phrase() -> None:
    assert match_expression("梯度") == '"梯度"'


def test_longer_chinese_query_is_a_phrase_of_adjacent_bigrams() -> None:
    assert match_expression("检查点") == '"检查 查点"'


def test_terms_are_anded_and_punctuation_is_dropped() -> None:
    assert match_expression("flash-attention 显存") == '"flash attention" AND "显存"'


def test_single_cjk_character_is_a_prefix_match() -> None:
    assert match_expression("梯") == '"梯"*'


def test_fts_syntax_typed_by_a_user_is_neutralised() -> None:
    expression = match_expression('title:foo OR "bar" NEAR(x y) * ^baz -qux')
    assert expression == '"title foo" AND "OR" AND "bar" AND "NEAR x" AND "y" AND "baz" AND "qux"'


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
def test_each_cjk_run_becomes_the_pairs_of_its_neighbouring_characters(text: str) -> None:
    cjk = "梯度检查点のか한"
    words = index_text(text).split()
    runs = "".join(c if c in cjk else " " for c in text).split()
    expected_cjk = [
        run if len(run) == 1 else run[i : i + 2]
        for run in runs
        for i in range(max(1, len(run) - 1))
    ]
    assert [w for w in words if w[0] in cjk] == expected_cjk
    assert [w for w in words if w[0] not in cjk] == [
        w for w in "".join(" " if c in cjk else c for c in text).split()
    ]
