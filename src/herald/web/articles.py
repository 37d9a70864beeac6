"""Article pages, rendered once per revision and language and then served from memory.

Highlighting a long code listing costs tens of milliseconds, so the finished page is kept
(with its ETag and policy, and compressed once: a long article is hundreds of kilobytes)
under a key that changes whenever the post does; a request for an unchanged post is the
store's lookup plus a dictionary hit, and a browser that already has it gets a 304.
Rendering runs in a thread, off the event loop the bots share.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from herald.content.document import Document
from herald.content.parse_pool import article_document
from herald.core.media import image_file
from herald.core.records import PostRecord
from herald.limits import WEB_CACHED_BYTES
from herald.render import images
from herald.render.web_html import web_body
from herald.render.web_pages import Shell, article_page
from herald.web.security import page_policy


@dataclass(frozen=True, slots=True)
class RenderedPage:
    body: bytes
    gzipped: bytes
    etag: str
    policy: str

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped)


def media_urls(document: Document, *, content_dir: Path, source_path: str) -> dict[str, str]:
    """Each image of the post that is a file inside the content folder, by its `src`, as
    the reader's `/media/…` address (the same confinement the chat adapters upload by)."""
    root = content_dir.resolve()
    post = root / source_path
    found: dict[str, str] = {}
    for image in images(document):
        path = image_file(image.src, post=post, content_dir=root)
        if path is not None and image.src not in found:
            found[image.src] = "/media/" + quote(path.relative_to(root).as_posix())
    return found


def revision(record: PostRecord, shell: Shell) -> str:
    """What a page is made of, hashed: the same key means the same page."""
    summary = record.summary
    parts = (
        shell.lang,
        shell.stylesheet,
        shell.script,
        str(summary.id),
        summary.title,
        summary.date.isoformat(),
        "\x1f".join(summary.tags),
        summary.lang,
        record.path,
        record.body,
    )
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


class ArticlePages:
    def __init__(
        self, *, content_dir: Path | None, zone: ZoneInfo, max_bytes: int = WEB_CACHED_BYTES
    ) -> None:
        self.content_dir = content_dir
        self.zone = zone
        self._pages: OrderedDict[str, RenderedPage] = OrderedDict()
        self._bytes = 0
        self.max_bytes = max_bytes

    async def page(self, record: PostRecord, shell: Shell) -> RenderedPage:
        key = revision(record, shell)
        found = self._pages.get(key)
        if found is not None:
            self._pages.move_to_end(key)
            return found
        document = await article_document(record.body, record.path)
        rendered = await asyncio.to_thread(self.render, record, document, shell, key)
        self._pages[key] = rendered
        self._bytes += rendered.size
        while self._bytes > self.max_bytes and len(self._pages) > 1:
            _key, dropped = self._pages.popitem(last=False)
            self._bytes -= dropped.size
        return rendered

    def render(
        self, record: PostRecord, document: Document, shell: Shell, key: str
    ) -> RenderedPage:
        summary = record.summary
        urls = (
            media_urls(document, content_dir=self.content_dir, source_path=record.path)
            if self.content_dir is not None
            else {}
        )
        body = web_body(document, image_urls=urls)
        local = summary.date.astimezone(self.zone)
        markup = article_page(
            shell,
            title=summary.title,
            date_iso=local.isoformat(),
            date_text=local.strftime("%Y-%m-%d"),
            tags=summary.tags,
            lang=summary.lang,
            body=body.html,
        )
        encoded = markup.encode()
        return RenderedPage(
            encoded, gzip.compress(encoded, 6), f'"{key[:32]}"', page_policy(body.style_hashes)
        )
