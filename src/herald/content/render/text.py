"""Small shared pieces: inline → text, math → Unicode, aligned monospace tables."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

import unicodeit
import unicodeit.data

from herald.content.document import (
    Code,
    Emph,
    FootnoteRef,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    Strike,
    Strong,
    Text,
)

_LEFTOVER = re.compile(r"\\[A-Za-z]+|[{}]")


_COMMAND = re.compile(r"\\([A-Za-z]+)")
_OPERATORS = frozenset(
    "log ln exp sin cos tan sinh cosh tanh arg max min sup inf lim det dim deg ker gcd Pr".split()
)


def _known_commands() -> frozenset[str]:
    """Whole command names unicodeit can convert (`\\mathbb{R}` counts as `mathbb`)."""
    names = set()
    for key, _ in (*unicodeit.data.REPLACEMENTS, *unicodeit.data.COMBININGMARKS):
        match = _COMMAND.match(key)
        if match:
            names.add(match.group(1))
    return frozenset(names)


_KNOWN = _known_commands()


@lru_cache(maxsize=4096)
def math_unicode(tex: str) -> str | None:
    """`\\theta_t` → `θₜ`, `x^2` → `x²`; None when no faithful plain form exists.

    unicodeit replaces by prefix, so `\\log` would become `łog` (`\\l` is ł): every whole
    command is checked first, operator names become plain words, anything else unknown
    means there is no faithful form.
    """
    tex = " ".join(tex.split())
    if not tex:
        return None
    for name in _COMMAND.findall(tex):
        if name not in _KNOWN and name not in _OPERATORS:
            return None
    tex = _COMMAND.sub(lambda m: m.group(1) if m.group(1) in _OPERATORS else m.group(0), tex)
    try:
        converted = unicodeit.replace(tex)
    except Exception:  # unicodeit is a best-effort converter; any failure means "no form"
        return None
    return None if _LEFTOVER.search(converted) else unicodedata.normalize("NFC", converted)


def inline_text(
    inlines: Iterable[Inline],
    *,
    math: Callable[[str], str] = lambda tex: math_unicode(tex) or tex,
    image: Callable[[Image], str] = lambda img: img.alt,
    soft_break: str = " ",
) -> str:
    """The readable text of inline content; callers choose how math and images read."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text | Code):
            parts.append(node.text)
        elif isinstance(node, Math):
            parts.append(math(node.tex))
        elif isinstance(node, Emph | Strong | Strike | Link):
            parts.append(inline_text(node.children, math=math, image=image, soft_break=soft_break))
        elif isinstance(node, Image):
            parts.append(image(node))
        elif isinstance(node, LineBreak):
            parts.append("\n" if node.hard else soft_break)
        elif isinstance(node, FootnoteRef):
            parts.append(f"[{node.label}]")
    return "".join(parts)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned_table(rows: list[list[str]]) -> str:
    """Columns padded by display width (CJK counts double), header underlined."""
    if not rows:
        return ""
    columns = max(len(row) for row in rows)
    cells = [[" ".join(cell.split()) for cell in row] + [""] * (columns - len(row)) for row in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(columns)]

    def line(row: list[str]) -> str:
        padded = (cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row))
        return " | ".join(padded).rstrip()

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])
