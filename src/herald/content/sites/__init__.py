"""Site profiles: a Jekyll or Hugo site read as the site itself reads it.

Pelican picks a reader per kind of file; Herald picks a profile per content folder, once
a sync, and the profile decides for every file before anything else sees it: whether it
is a post (and, if not, the rule that says so), its slug and aliases, its date (naive
times in the site's zone), its tags, whether it is a draft.

`find_site(folder)` recognises a Jekyll root (`_config.yml` beside `_posts/`) or a Hugo
root (`hugo.toml`, `config.toml`… beside `content/`) at the folder Herald is pointed at
or up to three folders above it (pointed at `_posts/`, `content/` or `content/posts/`).
Anything else is a plain folder, read by the rules Herald always had.  Herald's own
`[content]` settings win over the site's (`SiteOptions`).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from herald.content.sites import hugo, jekyll, plain
from herald.content.sites.model import Default, Fields, Kind, Site, SiteOptions, Skip
from herald.content.sites.settings import encoding_named, read_config, zone_named

__all__ = [
    "Default",
    "Fields",
    "Kind",
    "Site",
    "SiteOptions",
    "Skip",
    "classify",
    "find_site",
    "not_read",
    "plain_site",
]

log = logging.getLogger("herald.content")

PARENTS = 3
"""How far above the folder Herald is pointed at a site's root is looked for."""
_said: set[str] = set()


def plain_site(folder: Path, options: SiteOptions | None = None) -> Site:
    """A plain folder: Herald's own rules; only `[content] timezone` and `encoding` apply."""
    options = options or SiteOptions()
    problems: list[str] = []
    resolved = folder.resolve()
    return Site(
        kind="plain",
        folder=resolved,
        root=resolved,
        zone=zone_named(options.timezone, problems),
        encoding=encoding_named(options.encoding, problems),
        problems=tuple(problems),
    )


def find_site(folder: Path, options: SiteOptions | None = None) -> Site:
    """The site `folder` is, or is inside of; a plain folder if none (or `site = "plain"`)."""
    options = options or SiteOptions()
    if options.site == "plain":
        return plain_site(folder, options)
    here = folder.resolve()
    for candidate in (here, *list(here.parents)[:PARENTS]):
        found = _site_at(candidate, here, options)
        if found is not None:
            _say(found)
            return found
    if options.site == "jekyll":  # asked for, with no config: Jekyll's defaults
        return jekyll.read_site(here, here, {}, options)
    if options.site == "hugo":  # every Markdown file of the folder is content
        return hugo.read_site(here, here, {"contentDir": "."}, options)
    return plain_site(folder, options)


def _site_at(root: Path, folder: Path, options: SiteOptions) -> Site | None:
    problems: list[str] = []
    if options.site in ("auto", "jekyll"):
        config = next((root / n for n in jekyll.CONFIGS if (root / n).is_file()), None)
        if config is not None and (options.site == "jekyll" or (root / "_posts").is_dir()):
            site = jekyll.read_site(root, folder, read_config(config, problems), options)
            return _with(site, config.name, problems)
    if options.site in ("auto", "hugo"):
        config = hugo.config_file(root)
        if config is not None:
            settings = read_config(config, problems)
            if options.site == "auto" and not hugo.looks_like_hugo(config, settings):
                return None
            site = hugo.read_site(root, folder, settings, options)
            content = (root / site.content_dir).resolve()
            if content.is_dir() and (folder == root or folder.is_relative_to(content)):
                return _with(site, config.relative_to(root).as_posix(), problems)
    return None


def _with(site: Site, config_file: str, problems: list[str]) -> Site:
    return replace(site, config_file=config_file, problems=(*problems, *site.problems))


def _say(site: Site) -> None:
    """Each problem with a site's settings is logged once per process, not every sync."""
    for problem in site.problems:
        line = f"{site.root / site.config_file}: {problem}"
        if line not in _said:
            _said.add(line)
            log.warning("%s", line)


def not_read(site: Site, relpath: str, is_folder: bool) -> str | None:
    """Why the site does not read this file or folder (relative to `site.folder`): None
    when it does; an empty reason for folders not worth a line (`_layouts/`)."""
    sitepath = site.site_path(relpath)
    if site.kind == "jekyll":
        return jekyll.not_read(site, sitepath, is_folder)
    if site.kind == "hugo":
        return hugo.not_read(site, sitepath, is_folder)
    return None


def classify(
    site: Site,
    relpath: str,
    meta: dict[str, Any],
    *,
    mtime: float,
    now: datetime,
    has_frontmatter: bool,
) -> Fields | Skip:
    """What the site makes of one Markdown file it reads (`relpath` is relative to
    `site.folder`).  Raises `FieldError` for a front matter value it cannot use."""
    if site.kind == "jekyll":
        return jekyll.classify(site, relpath, meta, mtime, has_frontmatter=has_frontmatter)
    if site.kind == "hugo":
        return hugo.classify(site, relpath, meta, mtime, now)
    return plain.classify(site, relpath, meta, mtime)
