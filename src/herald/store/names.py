"""The names a post answers to, and the order they are looked up in, on every backend.

A Jekyll or Hugo post is named by its URL's last segment; the names it had before (the
slug Herald gave the file until it read the site, so old links, deep links and buttons
keep working), its whole URL path and the site's own redirects are its aliases.  A name
whose deep-link key differs (an old Chinese slug's hashed `/start` payload) is stored
under that key too, so a shared `t.me/<bot>?start=_…` link still opens the post.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Literal

from herald.content.links import link_key
from herald.content.sites.common import normalise, path_slug, slug_of_url

_SCHEME_AND_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//[^/]*", re.I)
MAX_SEGMENTS_DROPPED = 2
"""How many leading segments of a pasted path may be a `baseurl` (`/blog/…`)."""


def alias_keys(slug: str, aliases: Sequence[str]) -> list[str]:
    """What a post's aliases are stored under: each alias, and its deep-link key when that
    differs (an old Chinese slug's hashed `/start` key), none that is its own slug's."""
    own = {slug, link_key(slug)}
    keys: list[str] = []
    for alias in aliases:
        for key in (alias, link_key(alias)):
            if key not in own and key not in keys:
                keys.append(key)
    return keys


def alias_lookups(text: str) -> list[str]:
    """The names to look for, in order, when what a reader gave is not a slug: itself as
    an alias, its normalised form, and for a pasted URL (`https://example.github.io/blog/
    2026/07/20/langchain-agents/`) its last segment, then its whole path as a slug with
    up to two leading segments (a `baseurl`) dropped."""
    text = text.strip()
    keys = [text, normalise(text)]
    if "/" in text:
        path = _SCHEME_AND_HOST.sub("", text).split("?", 1)[0].split("#", 1)[0]
        keys.append(slug_of_url(path))
        segments = [s for s in path.split("/") if s]
        for dropped in range(min(MAX_SEGMENTS_DROPPED, len(segments) - 1) + 1):
            keys.append(path_slug("/".join(segments[dropped:])))
    return [key for index, key in enumerate(keys) if key and key not in keys[:index]]


Lookup = Literal["slug", "link_key", "slug_ignoring_case", "alias"]
"""Which column a name is looked for in: each backend has one condition for each."""


def slug_lookups(text: str) -> Iterator[tuple[Lookup, str]]:
    """Where to look for what a reader gave (`/read`, a deep link, a pasted URL), in
    order, until a published post is found: a slug, a deep-link key, a slug ignoring case
    (a courtesy), then each of `alias_lookups` as an alias and, if it is another name, as
    a slug."""
    yield "slug", text
    yield "link_key", text
    yield "slug_ignoring_case", text
    for key in alias_lookups(text):
        yield "alias", key
        if key != text:
            yield "slug", key
