"""One small cleaner per frontmatter field (Pelican's METADATA_PROCESSORS idea).

Each takes the raw value from YAML or TOML and returns the normalised value, or raises
`FieldError` with a reason a writer can act on.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from email.utils import parsedate_to_datetime
from typing import Literal

from herald.core.i18n import LANGUAGES, language_named

TagSplit = Literal["commas", "words", "none"]


class FieldError(ValueError):
    """A frontmatter value that cannot be used; the message names the field."""


_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M%z",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%Y年%m月%d日",
)


def as_datetime(name: str, value: object, zone: tzinfo = UTC) -> datetime:
    """Dates from YAML/TOML objects, ISO 8601 and common blog formats.

    A naive time, or a bare date (midnight), is read in `zone`: UTC for a plain folder,
    the site's own zone for a Jekyll or Hugo site (as both read them), `[content]
    timezone` when set.  An explicit offset always wins.  `replace` is right across DST:
    an hour that happens twice reads as its first occurrence (fold 0).
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str) and value.strip():
        parsed = _parse_date_text(name, value.strip())
    else:
        raise FieldError(f"{name}: expected a date, got {type(value).__name__}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _parse_date_text(name: str, text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        raise FieldError(f"{name}: cannot parse {text[:60]!r} as a date") from None


def as_text(name: str, value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool | int | float | date):
        return str(value)
    raise FieldError(f"{name}: expected text, got {type(value).__name__}")


def as_bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "yes", "1", "false", "no", "0"}:
        return value.strip().lower() in {"true", "yes", "1"}
    raise FieldError(f"{name}: expected true or false, got {value!r}")


_COMMAS = re.compile(r"[,，、]")


def as_tags(name: str, value: object, split: TagSplit = "commas") -> tuple[str, ...]:
    """A list, or a string split as its site reads one; deduplicated, in order.

    `commas` (a plain folder): on ASCII or Chinese commas.  `words` (Jekyll's plural
    `tags:` / `categories:`): on whitespace, as Jekyll does, unless the string has a
    comma, which says the author meant a list of phrases (Jekyll itself would make
    `learning,` a tag).  `none` (Hugo, Jekyll's singular `tag:`): one term, spaces and all.
    """
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[object]
        if split == "none":
            items = [value]
        elif split == "words" and not _COMMAS.search(value):
            items = list(value.split())
        else:
            items = list(_COMMAS.split(value))
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise FieldError(f"{name}: expected a list or a comma-separated string")
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict | list):
            raise FieldError(f"{name}: each tag must be text, got {type(item).__name__}")
        tag = " ".join(str(item).split()).lstrip("#")
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return tuple(seen.values())


def as_lang(name: str, value: object) -> str:
    text = as_text(name, value)
    lang = language_named(text)
    if lang is None:
        raise FieldError(f"{name}: expected {' or '.join(LANGUAGES)}, got {text.lower()!r}")
    return lang
