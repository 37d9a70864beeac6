"""A Jekyll site, read as Jekyll reads it.

Posts are the files of a `_posts/` folder (anywhere in the site; the folders above it
are categories) whose names start with a date, `YYYY-MM-DD-title.md`; `_drafts/` are
posts only with `show_drafts`; every other Markdown file is a page, which a chat feed
has no use for.  A post's URL comes from its `permalink` (front matter, `defaults:`,
then `_config.yml`), with Jekyll's placeholders filled from its date in the site's zone.
Plural `tags:` / `categories:` strings are split on whitespace, as Jekyll splits them.
"""

from __future__ import annotations

import fnmatch
import re
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from herald.content.fields import as_bool, as_tags
from herald.content.sites.common import aliases, first, listed, slug_of_url, when
from herald.content.sites.model import Default, Fields, Site, SiteOptions, Skip
from herald.content.sites.plain import file_date, merged_tags
from herald.content.sites.plain import path_slug as old_slug
from herald.content.sites.settings import encoding_named, zone_named

CONFIGS = ("_config.yml", "_config.yaml", "_config.toml")
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
"""Jekyll's built-in permalink styles (`permalink: pretty`)."""
NOT_READ = frozenset(
    {"_site", "vendor", "node_modules", ".jekyll-cache", ".sass-cache", ".bundle", "gemfiles"}
)
"""Folders Jekyll never reads, whatever `exclude:` says (its default exclusions)."""
_POST_NAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.+?)(\.[^.]+)$")
_PLACEHOLDER = re.compile(r":(i_month|i_day|short_year|y_day|short_day|output_ext|[a-z]+)")


def read_site(root: Path, folder: Path, config: dict[str, Any], options: SiteOptions) -> Site:
    problems: list[str] = []
    permalink = str(config.get("permalink") or "date")
    separator = config.get("excerpt_separator")
    baseurl = str(config.get("baseurl") or "").strip().strip("/")
    drafts = options.show_drafts
    return Site(
        kind="jekyll",
        folder=folder,
        root=root,
        zone=zone_named(options.timezone or config.get("timezone"), problems),
        encoding=encoding_named(options.encoding or config.get("encoding"), problems),
        lang=_lang(config.get("lang") or config.get("locale")),
        baseurl=f"/{baseurl}" if baseurl else "",
        url=str(config.get("url") or "").strip().rstrip("/"),
        permalink=STYLES.get(permalink, permalink),
        excerpt_separator=str(separator) if separator and str(separator).strip() else None,
        show_drafts=drafts if drafts is not None else _flag(config.get("show_drafts")),
        exclude=tuple(str(item).strip("/") for item in listed(config.get("exclude")) if item),
        defaults=_defaults(config.get("defaults")),
        static_dirs=("",),
        problems=tuple(problems),
    )


def _flag(value: object) -> bool:
    return value is True or str(value).strip().lower() in ("true", "yes", "1")


def _lang(value: object) -> str | None:
    text = str(value or "").strip().lower()
    return "zh" if text.startswith("zh") else "en" if text.startswith("en") else None


def _defaults(value: object) -> tuple[Default, ...]:
    """`defaults:` entries, least specific first, so later ones win when merged."""
    found = []
    for entry in listed(value):
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
            continue
        scope = entry.get("scope") if isinstance(entry.get("scope"), dict) else {}
        path = str((scope or {}).get("path") or "").strip().strip("/")
        kind = (scope or {}).get("type")
        found.append(Default(path, str(kind) if kind else None, dict(entry["values"])))
    found.sort(key=lambda d: (len(d.path), d.type is not None))
    return tuple(found)


# -- what is read --------------------------------------------------------------------------


def excluded(site: Site, sitepath: str) -> str | None:
    """The `exclude:` entry that covers a path from the site root (a path or a glob)."""
    for pattern in site.exclude:
        if sitepath == pattern or fnmatch.fnmatchcase(sitepath, pattern):
            return pattern
    return None


def not_read(site: Site, sitepath: str, is_folder: bool) -> str | None:
    """Why Jekyll does not read this folder or file (None: it does); an empty reason is
    a folder not worth a line in `herald check` (`_layouts/`, `_includes/`…)."""
    name = sitepath.rsplit("/", 1)[-1]
    pattern = excluded(site, sitepath)
    if pattern is not None:
        return f"excluded by {site.config_file} (exclude: {pattern})"
    if not is_folder:
        return None
    if name in NOT_READ:
        return "Jekyll never reads it"
    if name.startswith("_") and name not in ("_posts", "_drafts"):
        return ""
    return None


# -- one file ------------------------------------------------------------------------------


def classify(
    site: Site, relpath: str, meta: dict[str, Any], mtime: float, *, has_frontmatter: bool
) -> Fields | Skip:
    path = PurePosixPath(site.site_path(relpath))
    folders = path.parts[:-1]
    kind = "posts" if "_posts" in folders else "drafts" if "_drafts" in folders else "pages"
    if kind == "pages":
        if not has_frontmatter:
            return Skip("a page without front matter: Jekyll copies it as a static file")
        layout = _with_defaults(site, path, kind, meta).get("layout")
        what = f"a page (layout: {layout})" if layout else "a page"
        return Skip(f"{what}, not a post: Jekyll's posts are in _posts/")
    if kind == "drafts" and not site.show_drafts:
        where = f" in {site.config_file}" if site.config_file else ""
        return Skip(f"a draft in _drafts/ (show_drafts is off{where})")
    named = _POST_NAME.match(path.name)
    if kind == "posts" and named is None:
        return Skip("in _posts/ without a YYYY-MM-DD- prefix: Jekyll does not publish it")
    meta = _with_defaults(site, path, kind, meta)
    if meta.get("published") is not None and not as_bool("published", meta["published"]):
        return Skip("published: false")
    if meta.get("redirect_to"):
        return Skip(f"a redirect (redirect_to: {str(meta['redirect_to'])[:200]})")

    found = first(meta, "date")
    date = when(*found, site.zone) if found else None
    if date is None and named is not None:
        date = file_date(path.name, site.zone)
    if date is None:
        date = datetime.fromtimestamp(mtime, site.zone)  # a draft: its mtime, as Jekyll does
    name = named[2] if named else path.stem
    above = folders[: folders.index("_posts" if kind == "posts" else "_drafts")]
    categories = merged_tags(tuple(above), _pluralised(meta, "category", "categories"))
    url = _url(str(meta.get("permalink") or site.permalink), name, meta, categories, date, site)
    slug = slug_of_url(url) or old_slug(relpath, meta)
    updated = first(meta, "last_modified_at", "updated", "lastmod")
    return Fields(
        slug=slug,
        date=date,
        updated=when(*updated, site.zone) if updated else None,
        tags=merged_tags(_pluralised(meta, "tag", "tags"), categories),
        aliases=aliases(slug, [url, *listed(meta.get("redirect_from")), old_slug(relpath, meta)]),
        draft=_hidden(meta),
        separator=str(meta.get("excerpt_separator") or "") or site.excerpt_separator,
        url=url,
    )


def _hidden(meta: dict[str, Any]) -> bool:
    """Herald's own draft rules still hold in `_posts/` (`draft: true`, `hidden: true`)."""
    return any(meta.get(key) is not None and as_bool(key, meta[key]) for key in ("draft", "hidden"))


def _with_defaults(
    site: Site, path: PurePosixPath, kind: str, meta: dict[str, Any]
) -> dict[str, Any]:
    """Front matter over the `defaults:` whose scope covers the file (more specific last)."""
    if not site.defaults:
        return meta
    sitepath = path.as_posix()
    merged: dict[str, Any] = {}
    for default in site.defaults:
        if default.type not in (None, kind):
            continue
        scope = default.path
        if not scope or sitepath.startswith(f"{scope}/") or fnmatch.fnmatchcase(sitepath, scope):
            merged.update(default.values)
    return {**merged, **meta}


def _pluralised(meta: dict[str, Any], singular: str, plural: str) -> tuple[str, ...]:
    """Jekyll's `pluralized_array_from_hash`: the plural key's string is split on
    whitespace (`tags: gpt ChatGPT langchain`); the singular key is one item."""
    if meta.get(plural) is not None:
        return as_tags(plural, meta[plural], "words")
    return as_tags(singular, meta.get(singular), "none")


def _url(
    pattern: str,
    name: str,
    meta: dict[str, Any],
    categories: tuple[str, ...],
    date: datetime,
    site: Site,
) -> str:
    """A post's URL path from a permalink pattern (Jekyll's placeholders, its date in the
    site's zone)."""
    local = date.astimezone(site.zone)
    title = str(meta.get("slug") or name)
    values = {
        "year": f"{local.year:04d}",
        "month": f"{local.month:02d}",
        "day": f"{local.day:02d}",
        "i_month": str(local.month),
        "i_day": str(local.day),
        "short_year": f"{local.year % 100:02d}",
        "y_day": f"{local.timetuple().tm_yday:03d}",
        "hour": f"{local.hour:02d}",
        "minute": f"{local.minute:02d}",
        "second": f"{local.second:02d}",
        "week": f"{local.isocalendar().week:02d}",
        "short_day": local.strftime("%a"),
        "title": _slugify(title, pretty=True),
        "slug": _slugify(title, pretty=False),
        "name": _slugify(name, pretty=False),
        "categories": "/".join(dict.fromkeys(c.lower() for c in categories)),
        "output_ext": ".html",
    }
    url = _PLACEHOLDER.sub(
        lambda m: values.get(m.group(1), m.group()), STYLES.get(pattern, pattern)
    )
    return "/" + re.sub(r"/{2,}", "/", url).lstrip("/")


def _slugify(text: str, *, pretty: bool) -> str:
    """Jekyll's `Utils.slugify`: "pretty" keeps `._~!$&'()+,;=@` and case (`:title`); the
    default mode keeps letters and digits and lowercases (`:slug`)."""
    keep = r"[^\w._~!$&'()+,;=@]+" if pretty else r"[^\w]+|_"
    slug = re.sub(keep, "-", text).strip("-")
    return slug if pretty else slug.lower()
