"""The one normalised shape every reader produces and everything downstream consumes.

Frontmatter comes in many dialects (YAML, TOML, Jekyll, Hugo); the loader resolves all of them
into a `Post` once, at the edge, so the store, renderers and adapters never see raw metadata.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from herald.core.i18n import DEFAULT_LANGUAGE

_Record = TypeVar("_Record")


def pickled_by_fields(cls: type[_Record]) -> type[_Record]:
    """Pickle a frozen, slotted dataclass as its class called with its field values.

    Such a class otherwise pickles through the `__getstate__`/`__setstate__` that
    `dataclasses` writes for it, Python loops over the fields; a sync moves every post
    it parses from a worker to the writer, and this costs a third less each way."""
    names = [field.name for field in dataclasses.fields(cls)]  # type: ignore[arg-type]
    assert len(names) > 1, "attrgetter gives a tuple only for two names or more"
    values: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(*names)

    def __reduce__(self: _Record) -> tuple[type[_Record], tuple[Any, ...]]:
        return cls, values(self)

    setattr(cls, "__reduce__", __reduce__)  # noqa: B010 (a method the class body lacks)
    return cls


@pickled_by_fields
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
