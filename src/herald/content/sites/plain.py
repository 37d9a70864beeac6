"""A plain folder of Markdown: every `.md` / `.markdown` file is a post, as it always was.

The rules Herald had before it knew of sites, unchanged: the slug from `slug:` or the
path, naive dates in UTC (or `[content] timezone`), a `YYYY-MM-DD-` file-name prefix as
the date when there is none, tags split on commas, `categories` merged into them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from herald.content.fields import as_bool, as_datetime, as_tags, as_text
from herald.content.sites.common import first
from herald.content.sites.model import Fields, Site

_JEKYLL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")


def slug_from_path(relpath: str) -> str:
    """`notes/2024-01-05-Flash Attention.md` → `notes-flash-attention`; CJK is kept."""
    stem = relpath.rsplit(".", 1)[0] if "." in relpath.rsplit("/", 1)[-1] else relpath
    parts = [_JEKYLL_DATE.sub("", part) for part in stem.split("/")]
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", "-".join(parts)).casefold())
    return "-".join(words).replace("_", "-").strip("-") or "post"


def path_slug(relpath: str, meta: dict[str, Any]) -> str:
    """The slug a plain folder gives a file: what Herald called every post before it read
    sites, so a site's post keeps it as an alias."""
    found = first(meta, "slug")
    slug = as_text(*found) if found else ""
    return slug_from_path(slug) if slug else slug_from_path(relpath)


def file_date(name: str, zone: Any) -> datetime | None:
    """The `YYYY-MM-DD-` prefix of a file name, at midnight in `zone`."""
    found = _JEKYLL_DATE.match(name)
    if found is None:
        return None
    try:
        return datetime(int(found[1]), int(found[2]), int(found[3]), tzinfo=zone)
    except ValueError:
        return None  # 2024-13-45-: not a date, whatever it looks like


def classify(site: Site, relpath: str, meta: dict[str, Any], mtime: float) -> Fields:
    name = relpath.rsplit("/", 1)[-1]
    found = first(meta, "date", "pubDate", "published_at")
    date = as_datetime(*found, site.zone) if found else None
    if date is None:
        date = file_date(name, site.zone) or datetime.fromtimestamp(mtime, site.zone)
    draft = bool(meta.get("draft") is not None and as_bool("draft", meta["draft"]))
    if meta.get("published") is not None and not as_bool("published", meta["published"]):
        draft = True
    if meta.get("hidden") is not None and as_bool("hidden", meta["hidden"]):
        draft = True
    updated = first(meta, "updated", "lastmod", "last_modified_at")
    return Fields(
        slug=path_slug(relpath, meta),
        date=date,
        updated=as_datetime(*updated, site.zone) if updated else None,
        tags=merged_tags(
            as_tags("tags", meta.get("tags")), as_tags("categories", meta.get("categories"))
        ),
        draft=draft,
    )


def merged_tags(*groups: tuple[str, ...]) -> tuple[str, ...]:
    """Tags then categories, each once (compared ignoring case), in order."""
    seen: dict[str, str] = {}
    for group in groups:
        for tag in group:
            seen.setdefault(tag.casefold(), tag)
    return tuple(seen.values())
