"""The one normalised shape every reader produces and everything downstream consumes.

Frontmatter comes in many dialects (YAML, TOML, Jekyll, Hugo); the loader resolves all of them
into a `Post` once, at the edge, so the store, renderers and adapters never see raw metadata.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from herald.core.i18n import DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class Post:
    path: str
    """Path relative to the content folder, POSIX separators: the post's identity on disk."""
    slug: str
    """Stable public name: frontmatter `slug`, else derived from the path; on a Jekyll or
    Hugo site the last segment of its URL there."""
    title: str
    date: datetime
    """Publication time, timezone-aware (naive times read in the site's zone, else UTC)."""
    body: str
    """Markdown without the frontmatter."""
    updated: datetime | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    """Author-written summary; beats the body when an excerpt is made."""
    draft: bool = False
    lang: str = DEFAULT_LANGUAGE
    """One of `herald.core.i18n.LANGUAGES`: picks the card placeholders."""
    aliases: tuple[str, ...] = ()
    """Other names it answers to (`/read`, deep links): on a Jekyll or Hugo site the
    slug Herald gave it before it read the site, its whole URL path, the site's own
    redirects (`herald.content.sites`)."""
    warnings: tuple[str, ...] = ()
    """What the loader had to guess to read it (an encoding), for `herald check` and
    the sync report."""


@dataclass(frozen=True, slots=True)
class LoadError:
    """A file that could not become a Post, with a reason a human can act on."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file its site does not publish as a post (a page, a draft, a list page), with
    the site's rule that says so: not a problem, only explained by `herald check`."""

    path: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}: {self.rule}"
