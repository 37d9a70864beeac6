"""What both Markdown front ends read alike (`herald.content.markdown`, markdown-it, and
`herald.content.pyromark_document`, pulldown-cmark), kept in one place so they cannot drift."""

from __future__ import annotations

import re

from herald.content.rawhtml import SILENT

LANGUAGE = re.compile(r"[^\w+#.-]")
"""What a fence's language keeps of its first word (`python {.x}` → `python`)."""
PAIRED = frozenset({"a", "d-footnote", *SILENT})
"""Inline elements whose content needs the element: a link, a footnote, or silence."""


def code_language(info: str) -> str:
    """A fenced block's language from its info string: the first word, cleaned, ≤ 30."""
    words = info.split()
    return LANGUAGE.sub("", words[0])[:30] if words else ""
