"""Small shared pieces: inline → text, math → Unicode, aligned monospace tables."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

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
from herald.render.latex_unicode import replace as latex_to_unicode

_LEFTOVER = re.compile(r"\\[A-Za-z]+|[{}]")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_OPERATORS = frozenset(
    "log ln exp sin cos tan sinh cosh tanh arg max min sup inf lim det dim deg ker gcd Pr".split()
)
_SIZING = re.compile(
    r"\\(?:left|right|middle)\.|\\(?:left|right|middle|[Bb]igg?[lr]?)\b\s*(?=[^A-Za-z\s]|\\[{}|])"
)
_WORDS = re.compile(r"\\(?:text|textrm|mathrm|operatorname)\s*\{([^{}\\]*)\}")


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
    command is checked first, operator names become plain words, `\\text{…}` its words,
    `\\left(` a plain bracket; anything else unknown means there is no faithful form.
    The conversion is unicodeit's, in one pass (`herald.render.latex_unicode`), cached per
    expression since posts repeat their formulas.
    """
    tex = " ".join(tex.split())
    tex = _WORDS.sub(lambda m: m.group(1), _SIZING.sub("", tex))
    if not tex.strip():
        return None
    for name in _COMMAND.findall(tex):
        if name not in _KNOWN and name not in _OPERATORS:
            return None
    tex = _COMMAND.sub(lambda m: m.group(1) if m.group(1) in _OPERATORS else m.group(0), tex)
    try:
        converted = latex_to_unicode(tex)
    except Exception:  # unicodeit is a best-effort converter; any failure means "no form"
        return None
    return None if _LEFTOVER.search(converted) else unicodedata.normalize("NFC", converted)


def math_text(tex: str) -> str:
    """Math for surfaces that show it as code: Unicode when faithful, else the LaTeX."""
    return math_unicode(tex) or tex


def inline_text(
    inlines: Iterable[Inline],
    *,
    math: Callable[[Math], str] = lambda node: math_text(node.tex),
    image: Callable[[Image], str] = lambda img: img.alt,
    footnote: Callable[[FootnoteRef], str] = lambda ref: f"[{ref.label}]",
    soft_break: str = " ",
) -> str:
    """The readable text of inline content; callers choose how math, images and notes read."""
    parts: list[str] = []

    def walk(nodes: Iterable[Inline]) -> None:
        for node in nodes:
            if isinstance(node, Text | Code):
                parts.append(node.text)
            elif isinstance(node, Math):
                parts.append(math(node))
            elif isinstance(node, Emph | Strong | Strike | Link):
                walk(node.children)
            elif isinstance(node, Image):
                parts.append(image(node))
            elif isinstance(node, LineBreak):
                parts.append("\n" if node.hard else soft_break)
            elif isinstance(node, FootnoteRef):
                parts.append(footnote(node))

    walk(inlines)
    return "".join(parts)


def display_width(text: str) -> int:
    """Terminal cells: East Asian wide/full-width characters take two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def aligned_table(rows: list[list[str]], *, has_header: bool = True) -> str:
    """Columns padded by display width (CJK counts double), the header underlined."""
    rows = [row for row in rows if row]
    if not rows:
        return ""
    columns = max(len(row) for row in rows)
    cells = [[" ".join(cell.split()) for cell in row] + [""] * (columns - len(row)) for row in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(columns)]

    def line(row: list[str]) -> str:
        padded = (cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row))
        return " | ".join(padded).rstrip()

    lines = [line(row) for row in cells]
    if has_header:
        lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)
