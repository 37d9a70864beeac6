"""Which images of an article are local files a platform can upload.

Remote images stay links in the text; local ones are resolved against the post's folder and
must stay inside the content folder (a post cannot make the bot upload /etc/passwd).  Each
renderer then takes those within its platform's upload limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from herald.content.document import Document
from herald.render import images

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})


@dataclass(frozen=True, slots=True)
class LocalImage:
    path: Path
    alt: str
    size: int
    """Bytes, so a renderer can leave out what its platform would refuse."""


def local_images(content_dir: Path, source_path: str, document: Document) -> tuple[LocalImage, ...]:
    root = content_dir.resolve()
    folder = (root / source_path).parent
    found = []
    for image in images(document):
        if "://" in image.src or image.src.startswith(("data:", "//", "/")):
            continue
        path = (folder / image.src.split("?")[0].split("#")[0]).resolve()
        if not path.is_relative_to(root) or path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        if path.is_file():
            found.append(LocalImage(path, image.alt, path.stat().st_size))
    return tuple(found)
