"""What a site profile knows and decides: the records the profiles share.

A `Site` is read once per sync from the folder Herald is pointed at (`find_site`): which
kind of site it is, where its root is, and the few settings of its own that change what
readers see.  A profile then decides, for each file, before anything else looks at it:
`Skip` (not a post, and the rule that says so) or `Fields` (what the site makes of it).
Everything here is a plain frozen record, so it crosses into the parse workers as it is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

Kind = Literal["plain", "jekyll", "hugo"]
Choice = Literal["auto", "plain", "jekyll", "hugo"]
UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """Herald's own `[content]` settings about the site; each one set wins over the site's."""

    site: Choice = "auto"
    timezone: str | None = None
    """The zone naive dates are read in (`[content] timezone`); else the site's, else UTC."""
    encoding: str | None = None
    """Every post file is in this encoding (`[content] encoding`); else UTF-8, detected
    when it is not."""
    show_drafts: bool | None = None
    """Jekyll's `_drafts/` are posts (`[content] show_drafts`); else `show_drafts:` in
    `_config.yml`."""


@dataclass(frozen=True, slots=True)
class Default:
    """One entry of Jekyll's `defaults:` (front matter for every file in a scope)."""

    path: str
    """Path prefix or glob from the site root; empty: the whole site."""
    type: str | None
    """`posts`, `drafts`, `pages`; None: any."""
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Site:
    """A content folder as its site reads it."""

    kind: Kind
    folder: Path
    """The folder Herald reads (resolved): post paths are relative to it."""
    root: Path
    """The site's root (where its config file is); the folder itself for a plain one."""
    zone: ZoneInfo = UTC_ZONE
    """Naive dates and bare dates are read in this zone."""
    encoding: str | None = None
    lang: str | None = None
    """The site's language (`lang`, `defaultContentLanguage`): the fallback for a post
    whose visible text is too short to tell."""
    baseurl: str = ""
    """The path the site is served under (`/blog`), without a trailing slash."""
    url: str = ""
    """The site's own scheme and host (`https://example.github.io`)."""
    config_file: str = ""
    """The site's config file, relative to `root`, for messages."""
    # Jekyll
    permalink: str = "/:categories/:year/:month/:day/:title:output_ext"
    excerpt_separator: str | None = None
    show_drafts: bool = False
    exclude: tuple[str, ...] = ()
    defaults: tuple[Default, ...] = ()
    # Hugo
    content_dir: str = "content"
    permalinks: dict[str, str] = field(default_factory=dict)
    main_sections: tuple[str, ...] = ()
    static_dirs: tuple[str, ...] = ()
    """Folders, relative to `root`, where a root-relative `/x.png` is found."""
    languages: tuple[str, ...] = ()
    """Language codes a file name may end in (`post.zh.md`): Hugo's `languages`."""
    problems: tuple[str, ...] = ()
    """What Herald could not use of the site's settings (an unknown zone), for `check`."""

    @property
    def prefix(self) -> str:
        """The folder Herald reads, relative to the site root: `""`, `_posts/`, `content/posts/`."""
        inside = self.folder.relative_to(self.root).as_posix()
        return "" if inside == "." else f"{inside}/"

    def site_path(self, relpath: str) -> str:
        """A post's path (relative to `folder`) as the site sees it (relative to `root`)."""
        return self.prefix + relpath

    def fingerprint(self) -> str:
        """Changes whenever a setting that decides what a file becomes changes: a store
        read under other settings reads every file again."""
        decisive = asdict(self)
        for place in ("folder", "root", "problems"):
            decisive.pop(place)
        decisive["zone"] = self.zone.key
        decisive["prefix"] = self.prefix
        text = json.dumps(decisive, sort_keys=True, default=str, ensure_ascii=False)
        return f"{self.kind}:{hashlib.sha256(text.encode()).hexdigest()[:12]}"


@dataclass(frozen=True, slots=True)
class Skip:
    """Not a post, and the rule that says so (`herald check` lists it)."""

    rule: str


@dataclass(frozen=True, slots=True)
class Fields:
    """What the site decides for one post; the loader keeps its own rules for the rest
    (title, summary, body)."""

    slug: str
    date: datetime
    """Timezone-aware."""
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    """Other names it answers to, most specific first: the whole URL path as a slug, the
    site's redirects, the slug Herald gave it before the site was recognised."""
    updated: datetime | None = None
    draft: bool = False
    lang: str | None = None
    """The language its file name says (Hugo's `post.zh.md`), if any."""
    separator: str | None = None
    """The excerpt separator in force for it, besides `<!--more-->`."""
    url: str | None = None
    """Its URL path on the site, when the site has one for it."""
