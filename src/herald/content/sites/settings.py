"""Reading a site's own configuration: its files, its zone, its encoding.

A setting Herald cannot use (an unknown zone, an encoding Python does not know, a config
file that does not parse) is not fatal: the site is still read, with Herald's default for
that setting, and the problem is said once by `herald check` and the sync's log.
"""

from __future__ import annotations

import codecs
import json
import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from herald.content.sites.model import UTC_ZONE

MAX_CONFIG_BYTES = 1_000_000
"""A site's config file larger than this is not read (real ones are a few KB)."""


def read_config(path: Path, problems: list[str]) -> dict[str, Any]:
    """A YAML, TOML or JSON config file as a mapping; `{}` (and a problem) if it is not one."""
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            problems.append(f"{path.name} is over {MAX_CONFIG_BYTES // 1000} KB: not read")
            return {}
        text = path.read_text("utf-8-sig")
        data: object
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        problems.append(f"cannot read {path.name}: {first_line[:200]}")
        return {}
    return data if isinstance(data, dict) else {}


def lower_keys(value: Any) -> Any:
    """Hugo's configuration keys are case-insensitive (`timeZone` = `timezone`)."""
    if isinstance(value, dict):
        return {str(key).lower(): lower_keys(item) for key, item in value.items()}
    return value


def zone_named(name: object, problems: list[str]) -> ZoneInfo:
    """The zone a site names, UTC when it names none, UTC and a problem when it names one
    that does not exist."""
    if not isinstance(name, str) or not name.strip():
        return UTC_ZONE
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        problems.append(f"unknown time zone {name.strip()[:60]!r}: naive dates are read as UTC")
        return UTC_ZONE


def encoding_named(name: object, problems: list[str]) -> str | None:
    """The codec a site names for its files; None for UTF-8 (detected when a file is not)."""
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        codec = codecs.lookup(name.strip()).name
    except LookupError:
        problems.append(f"unknown encoding {name.strip()[:60]!r}: files are read as UTF-8")
        return None
    return None if codec in ("utf-8", "utf-8-sig") else codec
