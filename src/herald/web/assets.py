"""The reader's stylesheet and script, under names that change with their content, so
browsers keep them for a year and a new version is fetched at once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from herald.render.web_code import code_stylesheet

_STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    media_type: str


@dataclass(frozen=True, slots=True)
class Assets:
    files: dict[str, Asset]
    """By name (`reader.<hash>.css`), as served under `/static/`."""
    stylesheet: str
    script: str
    """Their addresses."""


def _named(stem: str, suffix: str, body: bytes) -> str:
    return f"{stem}.{hashlib.sha256(body).hexdigest()[:12]}.{suffix}"


def load_assets() -> Assets:
    css = (_STATIC / "reader.css").read_bytes() + b"\n" + code_stylesheet().encode()
    js = (_STATIC / "tg.js").read_bytes()
    css_name, js_name = _named("reader", "css", css), _named("tg", "js", js)
    return Assets(
        {
            css_name: Asset(css, "text/css; charset=utf-8"),
            js_name: Asset(js, "text/javascript; charset=utf-8"),
        },
        stylesheet=f"/static/{css_name}",
        script=f"/static/{js_name}",
    )
