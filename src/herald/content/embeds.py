"""Embedded players (`<iframe>`, `<video>`, `<audio>`, `<source>`, `<embed>`) as links.

No chat surface plays an `<iframe>`; dropping it (as Herald did) hid that the post shows
a video at all.  A player with an absolute source becomes a link to what it shows, on the
video site's own page for the players blogs embed most (YouTube, Bilibili, Vimeo), so a
reader taps through to the video.  A relative source (distill's interactive
`assets/html/…` figures) has nothing to open in a chat and stays dropped, as does a player
commented out or hidden.  Hugo's `{{< youtube id >}}` reaches here as the `<iframe>` it
would render (`herald.content.liquid`).

The label is the address without its scheme (`▶ bilibili.com/video/BV1GJ411x7h7`): words
of a URL, no sentence, so it needs no translation.  The search index reads the same label
(`herald.content.searchable`), since a reader sees it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from herald.content.document import Link, Text

MEDIA = frozenset({"iframe", "video", "audio", "source", "embed"})
"""Elements whose `src` is something to watch or listen to."""
MEDIA_TAG = re.compile(r"<(?:iframe|video|audio|source|embed)\b[^>]*>", re.I)
_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def media_link(attrs: dict[str, str]) -> Link | None:
    """The link a player's attributes stand for, if its source is somewhere to go."""
    href = watch_page(attrs.get("src", ""))
    return Link(href, (Text(f"▶ {media_label(href)}"),)) if href else None


def media_label(href: str) -> str:
    """`https://www.youtube.com/watch?v=x` → `youtube.com/watch?v=x`."""
    parts = urlsplit(href)
    label = parts.netloc.removeprefix("www.") + parts.path.rstrip("/")
    if parts.path == "/watch" and parts.query:
        label += f"?{parts.query}"
    return label or href


def media_label_of_tag(markup: str) -> str | None:
    """The label of a player tag's link, read from the raw tag (for the search index)."""
    match = _SRC.search(markup)
    if match is None:
        return None
    href = watch_page(next(group for group in match.groups() if group is not None))
    return media_label(href) if href else None


def watch_page(src: str) -> str:
    """The page to open for a player source: '' for a relative or unusable one."""
    src = src.strip()
    href = "https:" + src if src.startswith("//") else src
    if not href.startswith(("https://", "http://")) or any(c.isspace() for c in href):
        return ""
    parts = urlsplit(href)
    host = parts.netloc.removeprefix("www.")
    segments = [segment for segment in parts.path.split("/") if segment]
    embedded = segments[1] if len(segments) > 1 else ""
    if host in ("youtube.com", "youtube-nocookie.com") and embedded and segments[0] == "embed":
        return f"https://www.youtube.com/watch?v={embedded}"
    if host == "player.bilibili.com":
        bvid = parse_qs(parts.query).get("bvid")
        if bvid:
            return f"https://www.bilibili.com/video/{bvid[0]}"
    if host == "player.vimeo.com" and embedded and segments[0] == "video":
        return f"https://vimeo.com/{embedded}"
    return href
