"""The plain-frontmatter reader gives `yaml.safe_load`'s mapping, or declines.

`herald.content.plain_yaml.plain_mapping` may return None for anything; whatever it does
return must be exactly what libyaml and PyYAML's safe constructors make of the same text,
types included (dates, bools, ints, nulls).  Checked on generated frontmatter mixing the
shapes it reads with ones it must decline, and on every frontmatter of the corpora.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from herald.content.frontmatter import split_frontmatter
from herald.content.plain_yaml import plain_mapping

_SCALARS = [
    "post-1", "标题", "Notes on gradient 7", "2021-03-04", "2021-03-04T05:06:00+00:00",
    "2021-03-04 05:06:07 +0800", "2021-03-04T05:06:07Z", "2021-03-04T05:06:07",
    "2021-03-04T05:06:07-05:30", "2021-03-04T05:06:07.25+01:00", "2021-3-4", "2021-03-04t05:06:07Z",
    "20210-03-04", "２０２１-03-04", "yes", "No", "on", "off", "true", "null", "~", "1", "-1",
    "012", "0x1F", "1_000", "1.5", ".inf", "1e3", "6.02e+23", "https://x.y/a:b", "a: b",
    "a #c", "#c", "a:", "-x", "- x", "&a", "*a", "!x", "|", ">", "%x", "@x", "`x", "?x",
    "a,b", "x y  ", "=", "<<", "", " ", "\u00a0x", "x\u2028y", "é́", "[a]", "{a: 1}",
]  # fmt: skip
_KEYS = ["title", "date", "tags", "slug", "draft", "a-b", "x_1", "yes", "1", "null", "~", "-k"]
_quoted = st.sampled_from(_SCALARS).flatmap(
    lambda s: st.sampled_from([f'"{s}"', f"'{s}'", '"a\\"b"', "'it''s'", '"x" y'])
)
_flow = st.lists(st.sampled_from(_SCALARS), max_size=4).map(lambda items: f"[{', '.join(items)}]")
_values = st.one_of(st.sampled_from(_SCALARS), _quoted, _flow, st.sampled_from(["", "[]", "[a,]"]))
_lines = st.one_of(
    st.tuples(st.sampled_from(_KEYS), _values).map(lambda kv: f"{kv[0]}: {kv[1]}".rstrip(" ")),
    st.sampled_from(["", "# comment", "  - item", "tags:", "\tx: 1", "---", "k:v", "x: 1\r"]),
)
_headers = st.lists(_lines, max_size=8).map("\n".join)


def _safe_load(header: str) -> Any:
    try:
        return yaml.load(header, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return "invalid"


@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
@given(_headers)
def test_what_it_reads_is_what_safe_load_reads(header: str) -> None:
    fast = plain_mapping(header)
    if fast is not None:
        expected = _safe_load(header)
        assert fast == (expected if expected is not None else {})
        assert [type(v) for v in fast.values()] == [type(v) for v in (expected or {}).values()]
        assert repr(fast) == repr(expected or {})  # a date's offset too, not only its instant


def test_the_common_shape_is_read_without_libyaml() -> None:
    header = 'title: "标题"\ndate: 2021-03-04T05:06:00+00:00\ntags: [LLM, 训练]\nslug: post-1'
    assert plain_mapping(header) == _safe_load(header)
    assert plain_mapping("tags:\n  - a") is None
    assert plain_mapping("title: a # note") is None


_ROOT = Path(__file__).resolve().parents[2]
_CORPORA = [Path("/work/shared/corpora"), _ROOT / "tests" / "fixtures" / "sites", _ROOT / "content"]
_FILES = sorted(
    path
    for root in _CORPORA
    if root.is_dir()
    for path in root.rglob("*")
    if path.suffix in (".md", ".markdown") and path.is_file()
)


@pytest.mark.parametrize("path", _FILES, ids=lambda path: path.name)
def test_every_corpus_frontmatter_reads_as_safe_load_reads_it(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace").lstrip("\n")
    if not text.startswith("---"):
        return
    header = text.split("\n---", 1)[0].removeprefix("---").strip("\n")
    fast = plain_mapping(header)
    if fast is not None:
        assert fast == (_safe_load(header) or {})
    assert not isinstance(split_frontmatter(text), str) or _safe_load(header) == "invalid"
