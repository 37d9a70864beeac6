"""Which images of an article are local files a platform can upload.

Remote images stay links in the text; local ones are looked up on disk and must stay
inside the allowed root (a post cannot make the bot upload /etc/passwd): the site's root
when Herald serves a Jekyll or Hugo site, else the content folder.  Each renderer then
takes those within its platform's upload limit.

How a source names a file:

- The parser percent-encodes destinations (`示意图.png` → `%E7%A4%BA…`, a space →
  `%20`) and authors write `%20` themselves, so the path is decoded before the lookup.
- A relative path is beside the post (Hugo page bundles; what an editor's preview
  shows), then, on a site, from the site root.
- A root-relative `/assets/x.png` is the site's: from its root (Jekyll) or its static
  folders (Hugo's `static/`), with the site's `baseurl` (`/blog/assets/x.png`) taken off
  when the author wrote it; a full URL on the site's own host is the same file.  Without
  a site such a path names nothing Herald may read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from herald.content.document import Document
from herald.render import images

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})


class SiteRoots(Protocol):
    """What the lookup needs of a site profile (`herald.content.sites`)."""

    @property
    def root(self) -> Path: ...
    @property
    def baseurl(self) -> str:
        """`/blog`, or empty."""

    @property
    def url(self) -> str:
        """`https://example.github.io`, or empty."""

    @property
    def static_dirs(self) -> tuple[str, ...]:
        """Folders below `root` that `/x.png` is looked up in (`""`: the root itself)."""


@dataclass(frozen=True, slots=True)
class LocalImage:
    path: Path
    alt: str
    size: int
    """Bytes, so a renderer can leave out what its platform would refuse."""


def local_images(
    content_dir: Path, source_path: str, document: Document, site: SiteRoots | None = None
) -> tuple[LocalImage, ...]:
    """The document's images that are files inside the allowed root, in order, once each."""
    post = content_dir.resolve() / source_path
    found: list[LocalImage] = []
    for image in images(document):
        path = image_file(image.src, post=post, content_dir=content_dir, site=site)
        if path is not None and all(seen.path != path for seen in found):
            found.append(LocalImage(path, image.alt, path.stat().st_size))
    return tuple(found)


def image_file(
    src: str, *, post: Path, content_dir: Path, site: SiteRoots | None = None
) -> Path | None:
    """The file an image source names, if it is a local image inside the allowed root."""
    path = _local_path(src, site)
    if path is None:
        return None
    boundary = (site.root if site is not None else content_dir).resolve()
    for candidate in _candidates(path, post, site):
        try:
            resolved = candidate.resolve()
            if (
                resolved.is_relative_to(boundary)
                and resolved.suffix.lower() in IMAGE_SUFFIXES
                and resolved.is_file()
            ):
                return resolved
        except (OSError, ValueError):  # a NUL byte, a name too long, a loop of links
            continue
    return None


def _local_path(src: str, site: SiteRoots | None) -> str | None:
    """The decoded path part of a source that may be local; None for a remote one."""
    if src.startswith("data:"):
        return None
    if "://" in src or src.startswith("//"):
        own = urlsplit(site.url if site is not None else "").netloc
        parts = urlsplit(src if "://" in src else f"https:{src}")
        if not own or parts.netloc != own:
            return None
        src = parts.path
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])
    return path or None


def _candidates(path: str, post: Path, site: SiteRoots | None) -> list[Path]:
    if not path.startswith("/"):
        beside = [post.parent / path]
        return [*beside, site.root / path] if site is not None else beside
    if site is None:
        return []
    paths = [path.lstrip("/")]
    base = site.baseurl.rstrip("/")
    if base and path.startswith(base + "/"):  # the author wrote the site's `baseurl`
        paths.insert(0, path[len(base) :].lstrip("/"))
    return [site.root / folder / each for each in paths for folder in site.static_dirs]
