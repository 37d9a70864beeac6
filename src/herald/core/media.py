"""Which images of an article are local files a platform can upload.

Remote images stay links in the text; local ones are resolved against the post's folder and
must stay inside the content folder (a post cannot make the bot upload /etc/passwd).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from herald.content.render import images
from herald.core.views import ArticleView

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})


@dataclass(frozen=True, slots=True)
class LocalImage:
    path: Path
    alt: str


def local_images(content_dir: Path, article: ArticleView, *, max_bytes: int) -> list[LocalImage]:
    root = content_dir.resolve()
    folder = (root / article.source_path).parent
    found = []
    for image in images(article.document):
        if "://" in image.src or image.src.startswith(("data:", "//", "/")):
            continue
        path = (folder / image.src.split("?")[0].split("#")[0]).resolve()
        if not path.is_relative_to(root) or path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        if path.is_file() and path.stat().st_size <= max_bytes:
            found.append(LocalImage(path, image.alt))
    return found
