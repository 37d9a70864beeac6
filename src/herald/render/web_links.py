"""Where the web reader serves things: one place for its paths, used by its pages and by
the chat renderers that link to it ("open in reader" buttons)."""

from __future__ import annotations

from urllib.parse import quote, urlencode


def post_path(link_key: str) -> str:
    """`/p/<key>`: the slug itself when it fits `A-Za-z0-9_-`, else its stable hashed
    deep-link key (`herald.content.links`), so every address is plain ASCII."""
    return "/p/" + quote(link_key, safe="")


def tag_path(tag: str, page: int = 1) -> str:
    return "/t/" + quote(tag, safe="") + (f"?page={page}" if page > 1 else "")


def latest_path(page: int = 1) -> str:
    return "/" if page <= 1 else f"/?page={page}"


def search_path(query: str, page: int = 1) -> str:
    fields: dict[str, str | int] = {"q": query}
    if page > 1:
        fields["page"] = page
    return "/search?" + urlencode(fields)


def reader_url(base_url: str, link_key: str) -> str:
    """The full address of a post's page on the public reader (`[web] base_url`)."""
    return base_url.rstrip("/") + post_path(link_key)
