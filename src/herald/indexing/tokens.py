"""How text is cut into search tokens, the same way for what is indexed and what is asked.

Text is read as units: one CJK character, a run of other letters, or a run of digits, so
every script boundary is a token boundary (`LoRA微调` → `lora` `微调`, `FP8训练` → `fp` `8`
`训练`, `Qwen2.5-VL` → `qwen` `2` `5` `vl`): a word is found however a writer or a reader
spaced it, since `GPU显存`, `GPU 显存` and `gpu-显存` are the same tokens.

A stock word tokenizer treats a run of Han characters as one token, so `梯度` would never
match inside `梯度检查点`, and a trigram tokenizer cannot match two-character words at all.
The classic answer (Lucene's CJKAnalyzer) is to index CJK runs as overlapping bigrams and
to turn a query into the phrase of its bigrams: `检查点` → `检查 查点`, which only matches
where the two bigrams stand next to each other, i.e. where the word occurs.  Each run of
two or more characters also ends with its last character alone, so a query that goes on
past a run's end (`用LoRA` in `我们用LoRA`: `用 lora`) finds the character it ends with;
the query does the same for a run it knows ends (one followed by another unit).
Backends turn `query_terms` into their own query syntax (`herald.store.sqlite.search`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import regex

_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}"
_RUN = regex.compile(rf"([{_CJK}]+)|((?:(?![{_CJK}])[\p{{L}}\p{{M}}])+|\p{{N}}+)")
"""A CJK run (group 1), or a run of other letters or of digits (group 2)."""
_UNIT = regex.compile(rf"[{_CJK}]|(?:(?![{_CJK}])[\p{{L}}\p{{M}}])+|\p{{N}}+")
_CJK_CHAR = regex.compile(rf"[{_CJK}]")
_CJK_RUN = regex.compile(rf"[{_CJK}]+")
_DIGITS = regex.compile(r"\p{N}+")
_LETTERS = regex.compile(rf"(?:(?![{_CJK}])\p{{L}})[\p{{L}}\p{{M}}]*")
MIN_PREFIX_LETTERS = 3
"""A Latin word this long is also matched as a word's beginning (`flash` → FlashAttention,
and the last word while it is still being typed); shorter ones begin too many words."""


def _bigrams(run: str) -> list[str]:
    # Each character joined to the next, in one C-level pass: about 40 % less time than
    # slicing the run in a comprehension, on every post a sync indexes.
    return list(map(str.__add__, run[:-1], run[1:]))


def _spaced_run(match: regex.Match[str]) -> str:
    run = match.group()
    if len(run) == 1:
        return f" {run} "
    return f" {' '.join(_bigrams(run))} {run[-1]} "


_MAYBE_CJK = re.compile("[\u1100-\U0010ffff]+")
"""Where CJK may stand: no CJK character comes before U+1100 (Hangul Jamo), and `re` finds
such a run far faster than `regex` finds a script's characters in a long English post, so
the script class only reads these runs (BENCHMARKS.md, "Openings and fast scans")."""


def _spaced_runs(match: re.Match[str]) -> str:
    return str(_CJK_RUN.sub(_spaced_run, match.group()))


def index_text(text: str) -> str:
    """The text as stored in the search index: CJK runs replaced by their bigrams followed
    by their last character, digit runs set apart from letters.  The rest is left to the
    index's own word tokenizer (FTS5's `unicode61`), which splits it as `query_terms`
    does: C-level substitutions, no Python per word, on every post a sync indexes."""
    return str(_DIGITS.sub(r" \g<0> ", _MAYBE_CJK.sub(_spaced_runs, text)))


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One word the reader typed: a phrase of tokens that must stand together."""

    tokens: tuple[str, ...]
    prefix: bool = False
    """The last token also matches as the beginning of a longer one: a Latin word (see
    `MIN_PREFIX_LETTERS`), or a lone CJK character (it matches the bigrams it starts)."""
    units: tuple[str, ...] = ()
    """The units of the word as typed, for finding where it stands in a text."""


def _term(word: str) -> QueryTerm | None:
    runs = _RUN.findall(word)
    tokens: list[str] = []
    for index, (cjk, other) in enumerate(runs):
        ends = index + 1 < len(runs)  # another unit follows: the run ends here in the text
        if not cjk:
            tokens.append(other)
        elif len(cjk) == 1:
            tokens.append(cjk)
        else:
            tokens += _bigrams(cjk) + ([cjk[-1]] if ends else [])
    if not tokens:
        return None
    cjk, other = runs[-1]
    if cjk:
        prefix = len(cjk) == 1
    else:
        letters = _LETTERS.fullmatch(other) is not None
        prefix = letters and len(other) >= MIN_PREFIX_LETTERS
    return QueryTerm(tuple(tokens), prefix, tuple(_UNIT.findall(word)))


def query_terms(query: str) -> list[QueryTerm]:
    """The searchable terms of what a reader typed, made only of letter and digit tokens,
    so no operator, quote or wildcard they type reaches a backend's query syntax."""
    terms = (_term(word) for word in query.split())
    return [term for term in terms if term is not None]


def phrase_of(terms: list[QueryTerm]) -> QueryTerm | None:
    """The terms as one phrase, as if typed without spaces where that changes nothing a
    reader means: CJK words run together (`梯度 检查点` → `梯度检查点`, so its bigrams are
    the contiguous word's), other words joined by a hyphen (`self attention`)."""
    units = [unit for term in terms for unit in term.units]
    if not units:
        return None
    text = units[0]
    for before, unit in itertools.pairwise(units):
        text += ("" if is_cjk(before) or is_cjk(unit) else "-") + unit
    return _term(text)


def is_cjk(unit: str) -> bool:
    return _CJK_CHAR.fullmatch(unit) is not None
