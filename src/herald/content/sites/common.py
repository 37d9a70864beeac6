"""What the Jekyll and Hugo profiles share: dates in the site's zone, URL paths as slugs,
aliases, the excerpt separator.

A site names a post by its URL (`/llm/2026/07/20/langchain-agents/`); Herald names it by
a slug a reader can type.  The slug is the URL's last segment, normalised as Herald
normalises every slug, and the whole path, normalised the same way, is one of the
aliases, so a pasted link finds the post either way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from herald.content.fields import as_datetime
from herald.content.lead import MORE

DUPLICATE = "duplicate slug"
"""A file whose slug (and every alias) another file has: the later one, in path order."""
_WORD = re.compile(r"\w+")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})", re.M)


def normalise(text: str) -> str:
    """Herald's slug normalisation: NFKC, casefolded, words joined by `-`; CJK is kept."""
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    return "-".join(words).replace("_", "-").strip("-")


def slug_of_url(url: str) -> str:
    """The last segment of a URL path, without `.html`: what a reader types."""
    segments = [s for s in url.split("/") if s and s.lower() not in ("index.html", "index.htm")]
    last = re.sub(r"\.html?$", "", segments[-1], flags=re.I) if segments else ""
    return normalise(last)


def path_slug(url: str) -> str:
    """A whole URL path as one slug: `/llm/2026/07/20/langchain-agents/` →
    `llm-2026-07-20-langchain-agents`."""
    return normalise(re.sub(r"(?:/index)?\.html?$", "", url.strip().strip("/"), flags=re.I))


def aliases(slug: str, candidates: Iterable[object]) -> tuple[str, ...]:
    """Distinct names other than `slug`, in order; URL paths become path slugs."""
    out: list[str] = []
    for candidate in candidates:
        if candidate is None or isinstance(candidate, dict | list):
            continue
        name = path_slug(str(candidate))
        if name and name != slug and name not in out:
            out.append(name)
    return tuple(out)


def listed(value: object) -> list[object]:
    """A front matter value that may be one item or a list of them."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def when(name: str, value: object, zone: ZoneInfo) -> datetime | None:
    """A front matter date with naive times and bare dates in the site's zone."""
    return None if value is None or value == "" else as_datetime(name, value, zone)


def first(meta: Mapping[str, Any], *names: str, fold: bool = False) -> tuple[str, Any] | None:
    """The first of `names` set in `meta`, as (name as written, value); `fold`: matched
    ignoring case, as Hugo matches its keys (`publishDate` = `publishdate`)."""
    lowered = {(str(key).lower() if fold else str(key)): key for key in meta}
    for name in names:
        key = lowered.get(name.lower() if fold else name)
        if key is not None and meta[key] is not None and meta[key] != "":
            return str(key), meta[key]
    return None


def split_at_separator(body: str, separator: str | None) -> str:
    """The body with `<!--more-->` put before the first `separator` outside fenced code,
    so every card renderer cuts the lead there (`herald.content.lead`).  An HTML comment
    reads as nothing, so the article is unchanged; the separator itself stays."""
    if not separator or separator == MORE or separator not in body:
        return body
    fenced = False
    offset = 0
    for line in body.splitlines(keepends=True):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and separator in line:
            at = offset + line.index(separator)
            return f"{body[:at]}{MORE}{body[at:]}"
        offset += len(line)
    return body


def taken_slug_warning(slug: str, owner: str, used: str) -> str:
    """Said of a post served under an alias because its own slug is another's."""
    return f"slug '{slug}' is already used by {owner}: served as '{used}'"
