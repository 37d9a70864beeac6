"""The one-pass LaTeX → Unicode converter against unicodeit itself, case by case.

`herald.render.latex_unicode.replace` must give exactly `unicodeit.replace`'s string for
every replacement key (alone, in context, doubled, inside a group, before a script),
every combining mark over several arguments and forms, every sub/superscript, and
generated expressions mixing them: `math_unicode`'s faithful subset rests on it.
"""

from __future__ import annotations

import unicodeit
import unicodeit.data as data
from hypothesis import given, settings
from hypothesis import strategies as st

from herald.render.latex_unicode import replace
from herald.render.text import _KNOWN, math_unicode


def _key_cases() -> list[str]:
    cases: list[str] = []
    for key, _ in data.REPLACEMENTS:
        cases += [key, f"a{key}b", f"{key} x", f"x_{{{key}}}", f"{key}^2", f"{key}{key}"]
    return cases


def _mark_cases() -> list[str]:
    cases: list[str] = []
    for mark, _ in data.COMBININGMARKS:
        for arg in ("x", "\\alpha", "", "ab", "{x}", "\\mathbb{R}", "1"):
            cases += [f"{mark}{{{arg}}}", f"{mark} {{{arg}}}", f"a{mark}{{{arg}}}b", mark]
    return cases


def _script_cases() -> list[str]:
    cases: list[str] = []
    for key, _ in data.SUBSUPERSCRIPTS:
        cases += [key, f"x{key}", f"{key[0]}{{{key[1]}{key[1]}}}"]
    return cases


_ODD = [
    "\\not\\in",
    "\\not\\subset",
    "\\not=",
    "x_{12}",
    "x^{-1}",
    "x_{\\beta}",
    "\\_x",
    "\\{1\\}",
    "a--b",
    "25\\%",
    "=\\HBar",
    "\\backslash\\alpha",
    "x_{\\backslash}",
    "\\hat{}",
    "\\hat{\\bar{x}}",
    "\\vec{}",
    "\\lbrace x \\rbrace_{1}",
    "a^{\\int}",
]


def _differences(cases: list[str]) -> list[tuple[str, str, str]]:
    return [
        (c, replace(c), unicodeit.replace(c)) for c in cases if replace(c) != unicodeit.replace(c)
    ]


def test_every_replacement_key_converts_as_unicodeit_does() -> None:
    assert _differences(_key_cases()) == []


def test_every_combining_mark_converts_as_unicodeit_does() -> None:
    assert _differences(_mark_cases()) == []


def test_every_sub_and_superscript_converts_as_unicodeit_does() -> None:
    assert _differences(_script_cases()) == []


def test_negations_groups_and_backslashes_convert_as_unicodeit_does() -> None:
    assert _differences(_ODD) == []


_ATOMS = st.sampled_from(
    [*"xy12ni+-=() {}_^,|'", "\\frac{a}{b}", "\\log", "\\text{if}", "\\left(", "\\right)"]
)
_COMMANDS = st.sampled_from(sorted(_KNOWN)).map(lambda name: "\\" + name)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_ATOMS, _COMMANDS), min_size=1, max_size=8).map("".join))
def test_generated_expressions_convert_as_unicodeit_does(tex: str) -> None:
    assert replace(tex) == unicodeit.replace(tex)


def test_math_unicode_keeps_its_faithful_subset() -> None:
    assert math_unicode("\\theta_t") == "θₜ"
    assert math_unicode("x^2") == "x²"
    assert math_unicode("\\log x") == "log x"
    assert math_unicode("\\frac{a}{b}") is None
