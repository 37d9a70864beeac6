"""Stable, platform-safe tokens that name a post from outside (deep links, shares).

Telegram's `/start` payload allows only `A-Za-z0-9_-` and 64 characters, so a slug that fits
is used as is (readable links), and any other slug (Chinese, too long, with dots) becomes
`_` + a hash of the slug: the same on every machine and every sync, because it depends on
nothing but the slug.
"""

from __future__ import annotations

import base64
import hashlib
import re

_SAFE = re.compile(r"[A-Za-z0-9-][A-Za-z0-9_-]{0,63}")


def link_key(slug: str) -> str:
    if _SAFE.fullmatch(slug):
        return slug
    digest = hashlib.sha256(slug.encode("utf-8")).digest()
    return "_" + base64.b32encode(digest).decode("ascii")[:20].lower()
