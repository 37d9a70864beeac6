"""Frontmatter dialects: YAML between `---` lines, TOML between `+++` lines (as Hugo
writes it), or none at all; a problem is a reason a writer can act on, never an exception.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml
from frontmatter.default_handlers import BaseHandler, YAMLHandler

from herald.content.plain_yaml import plain_mapping


class TOMLHandler(BaseHandler):
    """Hugo's `+++` frontmatter, parsed with the standard library's tomllib."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


class FastYAMLHandler(YAMLHandler):
    """The same safe YAML: plain `key: value` lines read directly
    (`herald.content.plain_yaml`, what `safe_load` would give), anything else parsed by
    libyaml when PyYAML was built with it (~7x faster than pure Python)."""

    def load(self, fm: str, **kwargs: object) -> Any:
        if not kwargs:
            plain = plain_mapping(fm)
            if plain is not None:
                return plain
        kwargs.setdefault("Loader", getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return super().load(fm, **kwargs)


_HANDLERS: tuple[BaseHandler, ...] = (FastYAMLHandler(), TOMLHandler())


def split_frontmatter(text: str) -> tuple[dict[str, Any], str, bool] | str:
    """(meta, body, whether there was a frontmatter block), or why it cannot be read."""
    stripped = text.lstrip("\n")
    for handler in _HANDLERS:
        if not handler.detect(stripped):
            continue
        kind = "TOML" if isinstance(handler, TOMLHandler) else "YAML"
        try:
            header, body = handler.split(stripped)
        except ValueError:
            return f"{kind} frontmatter is not closed (no second {handler.START_DELIMITER} line)"
        try:
            meta = handler.load(header)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 2}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            return f"invalid YAML frontmatter{where}: {problem}"
        except tomllib.TOMLDecodeError as exc:
            return f"invalid TOML frontmatter: {exc}"
        if meta is None:
            meta = {}
        if not isinstance(meta, dict):
            return f"{kind} frontmatter must be a mapping of keys, got a {type(meta).__name__}"
        return meta, body.lstrip("\n"), True
    return {}, text, False
