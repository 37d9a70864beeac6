"""The frontmatter most posts have, read without building a YAML event stream.

Nearly every post's frontmatter is a few `key: value` lines: a title in quotes, a date,
tags as `[a, b]`, a slug.  libyaml parses that in C, but PyYAML still builds and walks a
node graph for it in Python, most of the frontmatter's cost.  `plain_mapping` reads
exactly that shape and nothing else: each line a simple key, then a plain scalar, a quoted
string without escapes or a one-line flow list of plain scalars.  Every value goes
through PyYAML's own resolver and constructors (so `2024-01-02` is a date, `yes` a bool,
`1_000` an int, exactly as `yaml.safe_load` says), except a date in the ISO form posts
use, which the standard library reads to the same value; anything else — comments, escapes,
block lists, nesting, anchors, tabs, a key that is not a string — returns None and
the caller asks libyaml.  `tests/content/test_plain_yaml.py` holds it to `safe_load`.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Final

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

_LINE: Final = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
_DOUBLE: Final = re.compile(r'"([^"\\]*)" *')
_SINGLE: Final = re.compile(r"'([^']*)' *")
_FLOW: Final = re.compile(r"\[([^\[\]{}\"'#&*!|>%@`]*)\] *")
_INDICATORS: Final = frozenset("-?:,[]{}#&*!|>'\"%@`")
_RESOLVER: Final = Resolver()
_CONSTRUCTOR: Final = SafeConstructor()
_SCALAR_TAGS: Final = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_STR: Final = "tag:yaml.org,2002:str"
_ISO_DATE: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[-+][0-9]{2}:[0-9]{2})?)?"
)
"""The dates posts carry (`2024-05-10`, `2024-05-10T08:00:00+08:00`): a subset of YAML's
timestamps, read without PyYAML's resolver and constructor, whose regex walks in Python
were half of a plain frontmatter's cost (each post has a date of its own: no cache
helps)."""
_NOT_PLAIN: Final = object()


def plain_mapping(header: str) -> dict[str, Any] | None:
    """`yaml.safe_load(header)` for a frontmatter of plain `key: value` lines; None for
    anything else (then libyaml reads it)."""
    if "\t" in header or "\r" in header:
        return None
    meta: dict[str, Any] = {}
    for line in header.split("\n"):
        if not line or line.isspace():
            continue
        if not line.isprintable():
            return None
        found = _LINE.fullmatch(line)
        if found is None or _tag(found.group(1)) != _STR:
            return None
        value = _value((found.group(2) or "").rstrip(" "))
        if value is _NOT_PLAIN:
            return None
        meta[found.group(1)] = value
    return meta


def _value(text: str) -> object:
    if not text:
        return None
    first = text[0]
    if first == '"':
        quoted = _DOUBLE.fullmatch(text)
        return _NOT_PLAIN if quoted is None else quoted.group(1)
    if first == "'":
        quoted = _SINGLE.fullmatch(text)
        return _NOT_PLAIN if quoted is None else quoted.group(1)
    if first == "[":
        flow = _FLOW.fullmatch(text)
        if flow is None:
            return _NOT_PLAIN
        inside = flow.group(1).strip(" ")
        if not inside:
            return []
        items = [_plain(item.strip(" "), flow=True) for item in inside.split(",")]
        return _NOT_PLAIN if any(item is _NOT_PLAIN for item in items) else items
    return _plain(text, flow=False)


def _plain(text: str, *, flow: bool) -> object:
    """A plain scalar, typed by PyYAML's resolver and built by its constructor."""
    if not text or text[0] in _INDICATORS or ": " in text or " #" in text:
        return _NOT_PLAIN
    if text.endswith(":") or (flow and ("," in text or ":" in text)):
        return _NOT_PLAIN
    if text[0].isdigit() and _ISO_DATE.fullmatch(text):
        # The standard library gives PyYAML's value for this subset; an impossible date
        # goes on to PyYAML's constructor, which fails with its own `ValueError`.
        with contextlib.suppress(ValueError):
            return (datetime if "T" in text else date).fromisoformat(text)
    tag = _tag(text)
    if tag not in _SCALAR_TAGS:
        return _NOT_PLAIN
    if tag == _STR:
        return text
    node = yaml.ScalarNode(tag, text)
    return SafeConstructor.yaml_constructors[tag](_CONSTRUCTOR, node)


@lru_cache(maxsize=4096)
def _tag(text: str) -> str:
    """PyYAML's implicit tag for a plain scalar; keys and tags repeat from post to post."""
    return str(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)))  # type: ignore[no-untyped-call]
