"""Styled text runs, and splitting them into messages that stay well-formed on their own.

A rendered article is a list of blocks, each a list of runs: text plus the stack of tags
around it.  Because every chunk is serialised from runs, a tag open at a cut is closed at
the end of one message and re-opened at the start of the next — a `<pre><code
class="language-python">` cut in two becomes two complete code blocks.  Cuts prefer block
boundaries, then line breaks, then spaces, then any grapheme boundary; never a surrogate
pair, never inside a tag or an entity.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import regex

Tag = tuple[str, str]
"""(name, attributes as they appear in the start tag, already escaped)."""

_GRAPHEME = regex.compile(r"\X")


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    tags: tuple[Tag, ...] = ()


Block = list[Run]
Measure = Callable[[str], int]


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def serialize(runs: list[Run]) -> str:
    out: list[str] = []
    stack: list[Tag] = []
    for run in runs:
        if not run.text:
            continue
        common = 0
        while common < min(len(stack), len(run.tags)) and stack[common] == run.tags[common]:
            common += 1
        while len(stack) > common:
            out.append(f"</{stack.pop()[0]}>")
        for tag in run.tags[common:]:
            out.append(f"<{tag[0]}{tag[1]}>")
            stack.append(tag)
        out.append(html.escape(run.text, quote=False))
    while stack:
        out.append(f"</{stack.pop()[0]}>")
    return "".join(out)


def _cut_point(text: str, budget: int, measure: Measure) -> int:
    """Largest prefix length (in str indices, on a grapheme boundary) that fits the budget."""
    if budget <= 0:
        return 0
    used = 0
    end = 0
    best_line = best_space = 0
    for match in _GRAPHEME.finditer(text):
        size = measure(match.group())
        if used + size > budget:
            break
        used += size
        end = match.end()
        if match.group() == "\n":
            best_line = end
        elif match.group().isspace():
            best_space = end
    if end == len(text):
        return end
    for candidate in (best_line, best_space):
        if candidate >= end // 2 and candidate > 0:
            return candidate
    return end


def split_blocks(
    blocks: list[Block],
    *,
    limit: int,
    separator: Run = Run("\n\n"),
    measure: Measure = utf16_length,
) -> list[list[Run]]:
    """Pack blocks into chunks whose visible text is at most `limit` units each."""
    chunks: list[list[Run]] = []
    current: list[Run] = []
    used = 0

    def flush() -> None:
        nonlocal current, used
        while current and not current[-1].text.strip():
            current.pop()
        if current:
            chunks.append(current)
        current, used = [], 0

    for block in blocks:
        size = sum(measure(run.text) for run in block)
        gap = measure(separator.text) if current else 0
        if current and used + gap + size > limit:
            flush()
            gap = 0
        if size + gap <= limit - used:
            if gap:
                current.append(separator)
            current.extend(block)
            used += gap + size
            continue
        if gap:
            current.append(separator)
            used += gap
        for run in block:  # a block larger than a whole message: cut inside it
            text = run.text
            while text:
                room = limit - used
                cut = _cut_point(text, room, measure)
                if cut == 0:
                    if not current:  # a single grapheme wider than the limit: cannot happen
                        cut = len(_GRAPHEME.match(text).group())  # type: ignore[union-attr]
                    else:
                        flush()
                        continue
                piece, text = text[:cut], text[cut:]
                current.append(Run(piece, run.tags))
                used += measure(piece)
                if text:
                    flush()
                    text = text.lstrip("\n") if not run.tags else text
    flush()
    return chunks
