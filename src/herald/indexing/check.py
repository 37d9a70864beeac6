"""`herald check`: everything that would keep a post from being served, without a database.

It reads the folder exactly as a sync does (the site profile, the walk, `prepare` for each
file), so what it says is what the next sync will do.

A problem (invalid frontmatter, a link out of the content folder, a FIFO, a file over the
size cap, a duplicate slug, a renderer failure, no readable content) means the post is
not served: `herald check` lists it and exits 1.  A post served with something to say
(its render over its time budget, its encoding guessed, its slug taken by another post)
is a warning, and a file its site does not publish as a post (a page, a draft, a list
page), or a folder the site does not read (`vendor/`), is explained with the rule that
leaves it out: neither changes the exit status.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from herald.content.post import LoadError, Post, Skipped
from herald.content.sites import Site, SiteOptions, find_site
from herald.content.sites.common import DUPLICATE, taken_slug_warning
from herald.indexing.prepare import prepare
from herald.indexing.scan import scan
from herald.limits import EXCERPT_CHARS


@dataclass(slots=True)
class Inspection:
    site: Site
    posts: list[Post] = field(default_factory=list)
    """Every post that can be served (drafts included)."""
    errors: list[LoadError] = field(default_factory=list)
    """Files that cannot be served, with the reason, in path order."""
    warnings: list[LoadError] = field(default_factory=list)
    """Posts served with a warning, with the reason, in path order."""
    skipped: list[Skipped] = field(default_factory=list)
    """Files the site does not publish as posts, with the rule, in path order."""
    not_read: dict[str, str] = field(default_factory=dict)
    """Folders (ending in `/`) and files the site does not read at all, with the reason."""


def inspect_folder(root: Path, options: SiteOptions | None = None) -> Inspection:
    """Read every file as the sync would (each render within its budget, which this
    command's main thread can keep); a slug is its first file's, in path order."""
    site = find_site(root, options)
    found = Inspection(site)
    on_disk = scan(root, None, site, found.not_read)
    owners: dict[str, str] = {}
    for relpath in sorted(on_disk):
        item = prepare(root, relpath, None, EXCERPT_CHARS, site=site)
        if item.skipped is not None:
            found.skipped.append(Skipped(relpath, item.skipped))
            continue
        if item.error is not None or item.post is None:
            found.errors.append(LoadError(relpath, item.error or "cannot be read"))
            continue
        post, warning = _claim(item.post, owners, item.warning)
        if isinstance(post, str):
            found.errors.append(LoadError(relpath, post))
            continue
        owners[post.slug] = relpath
        if warning is not None:
            found.warnings.append(LoadError(relpath, warning))
        found.posts.append(post)
    return found


def _claim(
    post: Post, owners: dict[str, str], warning: str | None
) -> tuple[Post | str, str | None]:
    """The writer's rule (`herald.store.sqlite.write`): a taken slug gives way to the
    post's first free alias, with a warning; with none, it is the duplicate's error."""
    owner = owners.get(post.slug)
    if owner is None:
        return post, warning
    for alias in post.aliases:
        if alias not in owners:
            note = taken_slug_warning(post.slug, owner, alias)
            others = tuple(a for a in post.aliases if a != alias)
            joined = "; ".join(w for w in (warning, note) if w)
            return replace(post, slug=alias, aliases=others), joined
    return f"{DUPLICATE} '{post.slug}' (already used by {owner})", None


def check_folder(root: Path) -> tuple[list[Post], list[LoadError]]:
    """The servable posts and the problems."""
    found = inspect_folder(root)
    return found.posts, found.errors
