"""`herald check`: everything that would keep a post from being served, without a database.

A problem (invalid frontmatter, a link out of the content folder, a FIFO, a file over the
size cap, a duplicate slug, a renderer failure) means the post is not served: `herald
check` lists it and exits 1.  A post whose render is over its time budget *is* served, as
plain text, so it is a warning, not a problem: it is logged (the command prints warnings)
and does not change the exit status.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from herald.content.loader import load_folder
from herald.content.post import LoadError, Post
from herald.indexing.cards import render_card
from herald.limits import EXCERPT_CHARS

log = logging.getLogger("herald.check")


@dataclass(slots=True)
class Inspection:
    posts: list[Post] = field(default_factory=list)
    """Every post that can be served (drafts included)."""
    errors: list[LoadError] = field(default_factory=list)
    """Files that cannot be served, with the reason, in path order."""
    warnings: list[LoadError] = field(default_factory=list)
    """Posts served as plain text, with the reason, in path order."""


def inspect_folder(root: Path) -> Inspection:
    """Load and render every post as the sync would (each render within its budget,
    which this command's main thread can keep)."""
    posts, errors = load_folder(root)
    found = Inspection(errors=errors)
    for post in posts:
        rendered = render_card((None, post.body, post.lang), EXCERPT_CHARS)
        if rendered.error is not None:  # report a renderer failure as this post's problem
            errors.append(LoadError(post.path, f"cannot render: {rendered.error}"))
            continue
        if rendered.warning is not None:
            found.warnings.append(LoadError(post.path, rendered.warning))
            log.warning("%s: %s", post.path, rendered.warning)
        found.posts.append(post)
    errors.sort(key=lambda error: error.path)
    return found


def check_folder(root: Path) -> tuple[list[Post], list[LoadError]]:
    """The servable posts and the problems (warnings are logged)."""
    found = inspect_folder(root)
    return found.posts, found.errors
