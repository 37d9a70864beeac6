"""The reader's routes: one Starlette app over the reader service's post port.

`/` the latest posts, `/t/<tag>` a tag's, `/search?q=` the same search the bots use,
`/p/<key>` an article (its slug, or its deep-link key), `/media/<path>` an image of the
content folder, `/static/<name>` the stylesheet and script, `/healthz` (the process
answers) and `/readyz` (the store answers), `POST /tg/session` a Mini App's signed launch
data.  Only what the bots would show is reachable: every lookup passes `now`, so drafts
and future posts are "not found", the same page as a post that never existed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from herald.core.i18n import Language, t
from herald.core.media import IMAGE_SUFFIXES
from herald.core.ports import StoreError
from herald.core.reader import ReaderService
from herald.core.records import PostSummary, Slice
from herald.limits import MAX_QUERY_CHARS, MAX_TAG_CHARS, WEB_PAGE_SIZE
from herald.render.web_links import latest_path, search_path, tag_path
from herald.render.web_pages import ListItem, Pages, Shell, list_page, not_found_page
from herald.web.articles import ArticlePages
from herald.web.assets import load_assets
from herald.web.mini_app import reader_language, session_endpoint
from herald.web.security import MEDIA_POLICY, SecurityHeaders, page_policy

log = logging.getLogger("herald.web")

_HTML = "text/html; charset=utf-8"
_REVALIDATE = {"Cache-Control": "no-cache", "Vary": "Accept-Encoding, Accept-Language, Cookie"}
_IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}


def _page_number(request: Request) -> int | None:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) <= 6 and int(raw) >= 1 else None


def _html(
    request: Request,
    body: bytes,
    *,
    etag: str | None = None,
    policy: str | None = None,
    status: int = 200,
    gzipped: bytes | None = None,
) -> Response:
    """A page, or 304 when the browser has this very version (`If-None-Match`);
    `gzipped`: the same body compressed already, sent to a browser that takes gzip."""
    etag = etag or '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {**_REVALIDATE, "ETag": etag, "Content-Security-Policy": policy or page_policy()}
    if status == 200 and etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(gzipped, status_code=status, media_type=_HTML, headers=headers)
    return Response(body, status_code=status, media_type=_HTML, headers=headers)


def web_app(
    reader: ReaderService,
    *,
    content_dir: Path | None,
    default_language: Language,
    telegram_token: SecretStr | None = None,
    more_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """The reader as an ASGI app.  `telegram_token` verifies Mini App launch data (None:
    no personalisation, `/tg/session` is not found); `more_routes` are served beside the
    reader's, under the same headers (`/metrics`, the Telegram webhook)."""
    assets = load_assets()
    articles = ArticlePages(content_dir=content_dir, zone=reader.zone)
    posts = reader.posts

    def shell(request: Request) -> Shell:
        return Shell(reader_language(request, default_language), assets.stylesheet, assets.script)

    def now() -> int:
        return int(reader.clock())

    def not_found(request: Request) -> Response:
        return _html(request, not_found_page(shell(request)).encode(), status=404)

    def item(summary: PostSummary) -> ListItem:
        return ListItem(
            summary.link_key,
            summary.title,
            summary.date.astimezone(reader.zone).strftime("%Y-%m-%d"),
            summary.tags,
            summary.excerpt,
            summary.snippet,
        )

    def listing(
        request: Request,
        found: Slice | None,
        page: int,
        *,
        heading: str,
        empty: str,
        link: Any,
        query: str = "",
    ) -> Response:
        total = found.total if found is not None else 0
        pages = max(1, -(-total // WEB_PAGE_SIZE))
        if page > pages:
            return not_found(request)
        where = Pages(
            page,
            pages,
            link(page - 1) if page > 1 else None,
            link(page + 1) if page < pages else None,
        )
        items = [item(summary) for summary in found.items] if found is not None else []
        markup = list_page(
            shell(request),
            heading=heading,
            items=items,
            total=total,
            pages=where,
            empty=empty,
            query=query,
        )
        return _html(request, markup.encode())

    async def latest(request: Request) -> Response:
        page = _page_number(request)
        if page is None:
            return not_found(request)
        lang = shell(request).lang
        found = await posts.latest(
            now=now(), offset=(page - 1) * WEB_PAGE_SIZE, limit=WEB_PAGE_SIZE
        )
        return listing(
            request,
            found,
            page,
            heading=t(lang, "web.latest"),
            empty=t(lang, "empty.latest"),
            link=latest_path,
        )

    async def tagged(request: Request) -> Response:
        tag = " ".join(str(request.path_params["tag"]).split())
        page = _page_number(request)
        if page is None or not tag or len(tag) > MAX_TAG_CHARS:
            return not_found(request)
        lang = shell(request).lang
        found = await posts.by_tag(
            tag, now=now(), offset=(page - 1) * WEB_PAGE_SIZE, limit=WEB_PAGE_SIZE
        )
        if found.total == 0:
            return not_found(request)
        return listing(
            request,
            found,
            page,
            heading=t(lang, "web.tag_heading", tag=tag),
            empty=t(lang, "empty.tag", tag=tag),
            link=lambda n: tag_path(tag, n),
        )

    async def search(request: Request) -> Response:
        query = " ".join(request.query_params.get("q", "").split())[:MAX_QUERY_CHARS]
        page = _page_number(request)
        if page is None:
            return not_found(request)
        lang = shell(request).lang
        found = (
            await posts.search(
                query, now=now(), offset=(page - 1) * WEB_PAGE_SIZE, limit=WEB_PAGE_SIZE
            )
            if query
            else None
        )
        heading = t(lang, "web.search_heading", query=query) if query else t(lang, "web.search")
        empty = t(lang, "empty.search", query=query) if query else ""
        return listing(
            request,
            found,
            page,
            heading=heading,
            empty=empty,
            link=lambda n: search_path(query, n),
            query=query,
        )

    async def article(request: Request) -> Response:
        key = str(request.path_params["key"])
        record = await posts.by_slug(key, now=now()) if 0 < len(key) <= 300 else None
        if record is None:
            return not_found(request)
        rendered = await articles.page(record, shell(request))
        return _html(
            request,
            rendered.body,
            etag=rendered.etag,
            policy=rendered.policy,
            gzipped=rendered.gzipped,
        )

    async def static(request: Request) -> Response:
        asset = assets.files.get(str(request.path_params["name"]))
        if asset is None:
            return PlainTextResponse("not found", status_code=404)
        return Response(asset.body, media_type=asset.media_type, headers=_IMMUTABLE)

    def media(request: Request) -> Response:  # sync: Starlette runs it in a thread
        """Only image files inside the content folder; anything else does not exist."""
        missing = PlainTextResponse("not found", status_code=404)
        if content_dir is None:
            return missing
        root = content_dir.resolve()
        try:
            target = (root / str(request.path_params["path"])).resolve()
            if not (
                target.is_relative_to(root)
                and target.suffix.lower() in IMAGE_SUFFIXES
                and target.is_file()
            ):
                return missing
        except (OSError, ValueError):  # a NUL byte, a name too long, a loop of links
            return missing
        headers = {"Cache-Control": "public, max-age=3600", "Content-Security-Policy": MEDIA_POLICY}
        return FileResponse(target, headers=headers)

    async def healthz(_request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(_request: Request) -> Response:
        try:
            await posts.latest(now=now(), offset=0, limit=1)
        except StoreError as fault:
            log.warning("readyz: the store does not answer: %s", fault)
            return PlainTextResponse("store unavailable", status_code=503)
        return PlainTextResponse("ready")

    routes = [
        Route("/", latest),
        Route("/t/{tag:path}", tagged),
        Route("/search", search),
        Route("/p/{key}", article),
        Route("/static/{name}", static),
        Route("/media/{path:path}", media),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route(
            "/tg/session",
            session_endpoint(reader, telegram_token, default_language),
            methods=["POST"],
        ),
    ]
    middleware = [Middleware(SecurityHeaders), Middleware(GZipMiddleware, minimum_size=1024)]
    return Starlette(routes=[*routes, *more_routes], middleware=middleware)
