"""Splitting rendered articles into messages that fit a platform's limit and stand alone.

Telegram: an article is a list of blocks, each a list of runs (text plus the stack of tags
around it).  Every chunk is serialised from runs, so a tag open at a cut is closed at the
end of one message and re-opened at the start of the next — a `<pre><code
class="language-python">` cut in two becomes two complete code blocks.  Only visible text
counts, in UTF-16 code units, as the Bot API counts it.

Discord: Markdown text, where the markup counts too; a code fence open at a cut is closed
with ``` and re-opened with ```lang.

Both prefer a block boundary, then a line break, then a space, then any grapheme
boundary; never a surrogate pair, a grapheme, a tag or an entity.  A single grapheme
wider than the whole limit cannot be split and is sent as is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import regex

Tag = tuple[str, str]
"""(name, attributes as they appear in the start tag, already escaped)."""
Measure = Callable[[str], int]

_GRAPHEME = regex.compile(r"\X")


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    tags: tuple[Tag, ...] = ()


def utf16_length(text: str) -> int:
    """Telegram's length: code points beyond the BMP take two units (a lone surrogate one)."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def serialize(runs: list[Run]) -> str:
    """HTML for runs: only `<`, `>`, `&` escaped in text, tags opened and closed minimally."""
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


def cut_point(text: str, budget: int, measure: Measure = len) -> int:
    """Length of the longest prefix within `budget` that ends on a grapheme boundary,
    pulled back to the last line break or space when one lies in its second half."""
    used = end = best_line = best_space = 0
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
        if candidate > 0 and candidate >= end // 2:
            return candidate
    return end


def split_runs(
    blocks: list[list[Run]],
    *,
    limit: int,
    separator: str = "\n\n",
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
        gap = measure(separator) if current else 0
        if current and used + gap + size > limit:
            flush()
            gap = 0
        if used + gap + size <= limit:
            if gap:
                current.append(Run(separator))
            current.extend(block)
            used += gap + size
            continue
        for run in block:  # a block larger than a whole message: cut inside it
            text = run.text
            while text:
                cut = cut_point(text, limit - used, measure)
                if cut == 0 and current:
                    flush()
                    continue
                if cut == 0:  # one grapheme wider than the limit: it has to go whole
                    cut = len(_GRAPHEME.match(text).group())  # type: ignore[union-attr]
                piece, text = text[:cut], text[cut:]
                current.append(Run(piece, run.tags))
                used += measure(piece)
                if text:
                    flush()
                    if not any(name == "pre" for name, _ in run.tags):
                        text = text.lstrip("\n")  # outside code a cut line break is spent
    flush()
    return chunks


_FENCE_LINE = re.compile(r"^([ \t]*(?:>[ \t]?)*)(`{3,})(\S*)", re.M)
_FENCE_ROOM = 40
"""Kept free when cutting Discord text: a closing fence, a re-opened fence and its language."""


def open_fence(text: str) -> tuple[str, str, str] | None:
    """(prefix, backticks, language) of a fence left open at the end of `text`, else None."""
    state: tuple[str, str, str] | None = None
    for match in _FENCE_LINE.finditer(text):
        prefix, ticks, info = match.groups()
        if state is None:
            state = (prefix, ticks, info)
        elif prefix == state[0] and len(ticks) >= len(state[1]) and not info:
            state = None
    return state


def split_markdown(blocks: list[str], *, limit: int, separator: str = "\n\n") -> list[str]:
    """Pack Markdown blocks into messages of at most `limit` characters, fences balanced."""
    messages: list[str] = []
    current = ""
    for text in blocks:
        joined = f"{current}{separator}{text}" if current else text
        if len(joined) <= limit:
            current = joined
            continue
        if current:
            messages.append(current)
            current = ""
        if len(text) <= limit:
            current = text
        else:
            *full, current = _split_long(text, limit)
            messages.extend(full)
    if current:
        messages.append(current)
    return messages


def _split_long(text: str, limit: int) -> list[str]:
    """Cut one block that alone exceeds the limit; a fence open at a cut is closed and
    re-opened.  Inside code the text after a cut keeps its indentation."""
    pieces: list[str] = []
    reopen = ""
    while text:
        if len(reopen) + len(text) <= limit:
            pieces.append(reopen + text)
            break
        cut = cut_point(text, max(limit - len(reopen) - _FENCE_ROOM, 1))
        if cut == 0:
            cut = len(_GRAPHEME.match(text).group())  # type: ignore[union-attr]
        piece, text = reopen + text[:cut].rstrip(" "), text[cut:]
        fence = open_fence(piece)
        if fence is not None:
            prefix, ticks, language = fence
            piece = piece.rstrip("\n") + "\n" + prefix + ticks
            reopen = f"{prefix}{ticks}{language}\n"
        else:
            reopen = ""
            text = text.lstrip(" \n")
        if piece.strip():
            pieces.append(piece)
    return pieces
