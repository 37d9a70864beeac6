"""A Hugo site, read as Hugo and its themes read it.

Pages live under `contentDir` (`content/`).  `_index.md` is a list page; `index.md` makes
its folder a leaf bundle (the folder is the page, other Markdown files in it are its
resources).  Hugo has no notion of "post": themes list the regular pages of
`mainSections` (`params.mainSections`, else the section with the most pages), so that is
the rule, and it leaves out `about.md`, `search.md` and `archives.md` of the home section
without special cases.  Drafts, `headless` bundles, `build.list: never` and expired pages
are left out as Hugo leaves them out.  A page's URL is its section path and file (or
bundle folder) name, `slug` replacing the last segment, `url` the whole path, or the
section's `[permalinks]` pattern.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from herald.content.fields import as_bool, as_tags, as_text
from herald.content.sites.common import aliases, first, listed, slug_of_url, when
from herald.content.sites.model import Fields, Site, SiteOptions, Skip
from herald.content.sites.plain import merged_tags
from herald.content.sites.plain import path_slug as old_slug
from herald.content.sites.settings import encoding_named, lower_keys, zone_named

CONFIGS = (
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
)
_LANGUAGE_SUFFIX = re.compile(r"(.+)\.([A-Za-z]{2}(?:-[A-Za-z]+)?)")


def config_file(folder: Path) -> Path | None:
    """The site config of a Hugo root: `hugo.*`, `config.*`, or `config/_default/…`."""
    for directory in (folder, folder / "config" / "_default"):
        for name in CONFIGS:
            if (directory / name).is_file():
                return directory / name
    return None


_HUGO_KEYS = frozenset(
    {
        "baseurl",
        "title",
        "theme",
        "languagecode",
        "defaultcontentlanguage",
        "contentdir",
        "params",
        "permalinks",
        "taxonomies",
        "menu",
        "menus",
        "markup",
        "module",
        "timezone",
    }
)
_HERALD_SECTIONS = frozenset({"store", "bot", "push", "telegram", "discord"})


def looks_like_hugo(path: Path, config: dict[str, Any]) -> bool:
    """A `hugo.*` file is Hugo's; a `config.*` one only if it reads like Hugo's (and not
    like Herald's own config, which someone may well have named `config.toml`)."""
    if path.name.startswith("hugo."):
        return True
    keys = set(lower_keys(config))
    return bool(keys & _HUGO_KEYS) and not keys & _HERALD_SECTIONS


def read_site(root: Path, folder: Path, config: dict[str, Any], options: SiteOptions) -> Site:
    config = lower_keys(config)
    problems: list[str] = []
    params = config.get("params") if isinstance(config.get("params"), dict) else {}
    sections = config.get("mainsections") or (params or {}).get("mainsections")
    base = str(config.get("baseurl") or "").strip()
    path = re.sub(r"^[a-z]+://[^/]*", "", base, flags=re.I).strip("/")
    permalinks = config.get("permalinks") if isinstance(config.get("permalinks"), dict) else {}
    languages = config.get("languages") if isinstance(config.get("languages"), dict) else {}
    default_language = str(config.get("defaultcontentlanguage") or "").lower()
    content = str(config.get("contentdir") or "content").strip("/") or "."
    return Site(
        kind="hugo",
        folder=folder,
        root=root,
        zone=zone_named(options.timezone or config.get("timezone"), problems),
        encoding=encoding_named(options.encoding, problems),
        lang=_lang(default_language or config.get("languagecode")),
        baseurl=f"/{path}" if path else "",
        url=re.sub(r"^([a-z]+://[^/]+).*$", r"\1", base, flags=re.I) if "://" in base else "",
        show_drafts=bool(options.show_drafts),
        content_dir=content,
        permalinks={str(k): str(v) for k, v in (permalinks or {}).items() if isinstance(v, str)},
        main_sections=tuple(str(s) for s in listed(sections)),
        static_dirs=tuple(str(s).strip("/") for s in listed(config.get("staticdir") or "static")),
        languages=tuple(sorted({default_language, *map(str, languages or {})} - {""})),
        problems=tuple(problems),
    )


def _lang(value: object) -> str | None:
    text = str(value or "").strip().lower()
    return "zh" if text.startswith("zh") else "en" if text.startswith("en") else None


def content_prefix(site: Site) -> str:
    return "" if site.content_dir == "." else f"{site.content_dir}/"


def not_read(site: Site, sitepath: str, is_folder: bool) -> str | None:
    """Hugo reads pages only from its content folder."""
    prefix = content_prefix(site)
    if (
        not prefix
        or sitepath.startswith(prefix)
        or (is_folder and prefix.startswith(f"{sitepath}/"))
    ):
        return None
    return f"outside {prefix}: Hugo reads pages only from there"


# -- one file ------------------------------------------------------------------------------


def classify(
    site: Site, relpath: str, meta: dict[str, Any], mtime: float, now: datetime
) -> Fields | Skip:
    sitepath = site.site_path(relpath)
    outside = not_read(site, sitepath, False)
    if outside is not None:
        return Skip(outside)
    inside = PurePosixPath(sitepath[len(content_prefix(site)) :])
    stem, language = _language(site, inside.name)
    build = _mapping(first(meta, "build", "_build", fold=True))
    if stem == "_index":
        return Skip("_index.md: a section's list page, not a page of its own")
    bundle = _bundle_of(site, inside)
    if bundle is not None:
        return Skip(f"a resource of the page bundle {bundle}/ (its index.md is the page)")
    if _set(meta, "draft") and not site.show_drafts:
        return Skip("draft = true")
    if _set(meta, "headless"):
        return Skip("headless = true: a bundle of resources with no page of its own")
    if str(build.get("list", "always")).lower() in ("never", "false"):
        return Skip("build.list = never: Hugo lists it nowhere")
    if str(build.get("render", "always")).lower() in ("never", "false"):
        return Skip("build.render = never: Hugo does not publish it")
    expiry = _date(site, meta, "expiryDate", "unpublishdate")
    if expiry is not None and expiry <= now:
        return Skip(f"expired (expiryDate {expiry.astimezone(site.zone).date().isoformat()})")
    sections = inside.parts[:-2] if stem == "index" else inside.parts[:-1]
    section = sections[0] if sections else ""
    main = site.main_sections or biggest_section(site)
    if section not in main:
        where = f"section {section}/" if section else "the home section"
        layout = first(meta, "layout", fold=True)
        what = f"a layout page (layout: {layout[1]})" if layout else "a page"
        return Skip(f"{what} in {where}, outside mainSections ({', '.join(main) or 'none'})")

    dated = _date(site, meta, "date", "publishDate", "pubdate", "published", "lastmod", "modified")
    publish = _date(site, meta, "publishDate", "pubdate", "published")
    date = max(d for d in (dated, publish) if d is not None) if dated or publish else None
    name = inside.parts[-2] if stem == "index" and len(inside.parts) > 1 else stem
    url = _url(site, meta, section, sections, name, dated or publish)
    slug = slug_of_url(url) or old_slug(relpath, meta)
    if language and site.lang and language != site.lang:
        slug = f"{slug}-{language}"
    return Fields(
        slug=slug,
        date=date or datetime.fromtimestamp(mtime, site.zone),
        updated=_date(site, meta, "lastmod", "modified"),
        tags=merged_tags(_terms(meta, "tags"), _terms(meta, "categories")),
        aliases=aliases(slug, [url, *listed(_value(meta, "aliases")), old_slug(relpath, meta)]),
        lang=_lang(language),
        url=url,
    )


def _value(meta: dict[str, Any], name: str) -> Any:
    found = first(meta, name, fold=True)
    return found[1] if found else None


def _set(meta: dict[str, Any], name: str) -> bool:
    found = first(meta, name, fold=True)
    return found is not None and as_bool(*found)


def _mapping(found: tuple[str, Any] | None) -> Mapping[str, Any]:
    return lower_keys(found[1]) if found and isinstance(found[1], dict) else {}


def _date(site: Site, meta: dict[str, Any], *names: str) -> datetime | None:
    found = first(meta, *names, fold=True)
    return when(*found, site.zone) if found else None


def _terms(meta: dict[str, Any], name: str) -> tuple[str, ...]:
    """A taxonomy's terms: a list; a string is one term (Hugo does not split it)."""
    found = first(meta, name, fold=True)
    return as_tags(*found, "none") if found else ()


def _language(site: Site, filename: str) -> tuple[str, str | None]:
    """`post.zh.md` → (`post`, `zh`) when `zh` is one of the site's languages."""
    stem = filename.rsplit(".", 1)[0]
    found = _LANGUAGE_SUFFIX.fullmatch(stem)
    if found and found[2].lower() in site.languages:
        return found[1], found[2].lower()
    return stem, None


def _bundle_of(site: Site, inside: PurePosixPath) -> str | None:
    """The leaf bundle a Markdown file other than `index.md` belongs to, if any."""
    if inside.name.rsplit(".", 1)[0].split(".")[0] == "index":
        folders = inside.parts[:-2]
    else:
        folders = inside.parts[:-1]
    content = site.root / site.content_dir
    for depth in range(len(folders), 0, -1):
        folder = content.joinpath(*folders[:depth])
        if any((folder / f"index{suffix}").is_file() for suffix in (".md", ".markdown")):
            return PurePosixPath(*folders[:depth]).as_posix()
    return None


def biggest_section(site: Site) -> tuple[str, ...]:
    """Hugo's default mainSections: the section with the most pages.  Counted once per
    content folder and state of its sections (a targeted sync must not walk 100k files)."""
    content = site.root / site.content_dir
    try:
        stamps = tuple(
            sorted((e.name, e.stat().st_mtime_ns) for e in os.scandir(content) if e.is_dir())
        )
    except OSError:
        return ()
    return _count_sections(str(content), stamps)


@lru_cache(maxsize=8)
def _count_sections(content: str, stamps: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for name, _ in stamps:
        if name.startswith((".", "_")):
            continue
        for _, _, files in os.walk(os.path.join(content, name)):
            counts[name] = counts.get(name, 0) + sum(
                1 for f in files if f.endswith((".md", ".markdown")) and not f.startswith("_index")
            )
    best = max(counts.values(), default=0)
    return tuple(sorted(name for name, n in counts.items() if n == best)) if best else ()


def _url(
    site: Site,
    meta: dict[str, Any],
    section: str,
    sections: tuple[str, ...],
    name: str,
    date: datetime | None,
) -> str:
    url = _value(meta, "url")
    if url:
        text = str(url).strip()
        return "/" + text.strip("/") + ("/" if text.endswith("/") else "")
    slug_value = _value(meta, "slug")
    slug = as_text("slug", slug_value) if slug_value else None
    pattern = site.permalinks.get(section)
    if pattern is None:
        return "/" + "/".join([*sections, urlize(slug or name)]) + "/"
    local = (date or datetime(1970, 1, 1, tzinfo=site.zone)).astimezone(site.zone)
    title = urlize(str(_value(meta, "title") or name))
    values = {
        "year": f"{local.year:04d}",
        "month": f"{local.month:02d}",
        "day": f"{local.day:02d}",
        "monthname": local.strftime("%B").lower(),
        "weekday": str(local.isoweekday() % 7),
        "yearday": str(local.timetuple().tm_yday),
        "section": section,
        "sections": "/".join(sections),
        "title": title,
        "slug": urlize(slug) if slug else title,
        "filename": name,
        "contentbasename": name,
        "slugorfilename": urlize(slug or name),
        "slugorcontentbasename": urlize(slug or name),
    }
    url = re.sub(r":([a-z]+)", lambda m: values.get(m.group(1), m.group()), pattern)
    return "/" + re.sub(r"/{2,}", "/", url).lstrip("/")


def urlize(text: str) -> str:
    """Hugo's `urlize` for paths: spaces to hyphens, lowercase, Unicode letters kept."""
    text = re.sub(r"\s+", "-", unicodedata.normalize("NFC", text.strip()))
    return re.sub(r"[^\w.~/-]+", "", text).lower()
