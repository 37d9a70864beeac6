"""The reader over HTTP, against the running app: what is served, what never is."""

from __future__ import annotations

import asyncio

import html5lib  # type: ignore[import-untyped]  # no stubs; only the parser is used
import httpx
import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from herald.web import WebServer, web_app
from tests.web.site import CHINESE_KEY, Reader

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def get(reader: Reader, path: str, **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=reader.url) as client:
        return await client.get(path, headers=headers)


def assert_valid_html5(body: str) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(body)  # strict: raises ParseError on the first error
    assert not parser.errors


async def test_article_is_served_with_a_strict_policy(reader: Reader) -> None:
    page = await get(reader, "/p/attention")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    policy = page.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'; style-src 'self'")
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert (
        "img-src 'self';" in policy and "frame-ancestors 'self' https://web.telegram.org" in policy
    )
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-cache"
    assert page.headers["content-encoding"] == "gzip"  # compressed once, with the page
    assert "<h1>Attention, on a phone</h1>" in page.text
    assert '<a href="/t/transformers">#transformers</a>' in page.text


async def test_unchanged_article_is_a_304(reader: Reader) -> None:
    first = await get(reader, "/p/attention")
    etag = first.headers["etag"]
    again = await get(reader, "/p/attention", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = await get(reader, "/p/attention", **{"If-None-Match": '"elsewhere"'})
    assert other.status_code == 200


async def test_a_changed_post_gets_a_new_etag(reader: Reader) -> None:
    before = (await get(reader, "/p/filler-01")).headers["etag"]
    path = reader.content / "filler-01.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    await reader.app.sync()
    after = await get(reader, "/p/filler-01", **{"If-None-Match": before})
    assert after.status_code == 200 and "One more line." in after.text
    assert after.headers["etag"] != before


async def test_math_code_tables_images_and_footnotes(reader: Reader) -> None:
    body = (await get(reader, "/p/attention")).text
    assert body.count("<math") >= 8
    assert '<math display="block"' in body
    assert '<code class="tex-fallback">' in body  # \substack: its source, as code
    assert '<pre class="hl"><code class="language-python"><span class="kn">import' in body
    assert '<div class="scroll" tabindex="0" role="region" aria-label="table"><table>' in body
    assert '<img src="/media/images/dot.png" alt="a small square"' in body
    assert 'href="https://example.org/x.png"' in body  # remote image: a link, not a request
    assert '<li id="fn-1">' in body and 'href="#fn-1"' in body


async def test_nothing_from_a_post_becomes_markup(reader: Reader) -> None:
    body = (await get(reader, "/p/attention")).text
    assert "<script>" not in body.replace('<script src="/static/', "")
    assert "onclick" not in body and 'href="javascript' not in body
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; not markup" in body
    assert "raw html" in body  # the text of the raw HTML is kept, as text


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?page=2",
        "/p/attention",
        f"/p/{CHINESE_KEY}",
        "/t/filler",
        "/search?q=attention",
        "/search",
        "/p/missing",
    ],
)
async def test_every_page_is_valid_html5(reader: Reader, path: str) -> None:
    assert_valid_html5((await get(reader, path)).text)


@pytest.mark.parametrize("path", ["/p/draft", "/p/future", "/p/missing", "/p/Secret%20draft"])
async def test_drafts_future_and_missing_posts_are_not_found(reader: Reader, path: str) -> None:
    page = await get(reader, path)
    assert page.status_code == 404
    assert "Secret draft" not in page.text and "From the future" not in page.text


async def test_lists_leave_out_drafts_and_future_posts(reader: Reader) -> None:
    everything = "".join([(await get(reader, "/")).text, (await get(reader, "/?page=2")).text])
    assert "Attention, on a phone" in everything and "Filler 22" in everything
    assert "Secret draft" not in everything and "From the future" not in everything
    found = (await get(reader, "/search?q=draft")).text
    assert "Secret draft" not in found


async def test_a_chinese_slug_is_served_under_its_deep_link_key(reader: Reader) -> None:
    page = await get(reader, f"/p/{CHINESE_KEY}")
    assert page.status_code == 200 and "<h1>梯度下降笔记</h1>" in page.text
    listed = (await get(reader, "/t/优化器")).text
    assert f'href="/p/{CHINESE_KEY}"' in listed


async def test_feed_pages(reader: Reader) -> None:
    first = (await get(reader, "/")).text
    assert 'rel="next" href="/?page=2"' in first and 'rel="prev"' not in first
    second = (await get(reader, "/?page=2")).text
    assert 'rel="prev" href="/"' in second
    assert (await get(reader, "/?page=3")).status_code == 404
    assert (await get(reader, "/?page=x")).status_code == 404
    assert (await get(reader, "/t/no-such-tag")).status_code == 404


async def test_search_finds_a_chinese_two_character_word(reader: Reader) -> None:
    page = await get(reader, "/search?q=显存")
    assert page.status_code == 200
    assert 'href="/p/attention"' in page.text and "<mark>显存</mark>" in page.text
    assert 'value="显存"' in page.text  # the box keeps the query


async def test_images_only_from_the_content_folder(reader: Reader) -> None:
    image = await get(reader, "/media/images/dot.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert image.headers["content-security-policy"].endswith("sandbox")


@pytest.mark.parametrize(
    "path",
    [
        "/media/../outside.png",
        "/media/%2e%2e/outside.png",
        "/media/images/%2e%2e/%2e%2e/outside.png",
        "/media/secret.txt",
        "/media//etc/passwd",
        "/media/%2fetc%2fpasswd",
        "/media/images/../../../../etc/passwd",
        "/media/attention.md",
        "/static/../site.py",
    ],
)
async def test_traversal_is_refused(reader: Reader, path: str) -> None:
    async with httpx.AsyncClient(base_url=reader.url) as client:
        request = client.build_request("GET", path)
        request.url = request.url.copy_with(raw_path=path.encode())  # sent as written
        answer = await client.send(request)
    assert answer.status_code == 404
    assert b"not an image" not in answer.content and b"root:" not in answer.content


async def test_static_assets_are_immutable(reader: Reader) -> None:
    body = (await get(reader, "/p/attention")).text
    stylesheet = body.split('<link rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    css = await get(reader, stylesheet)
    assert css.status_code == 200 and "prefers-color-scheme: dark" in css.text
    assert ".hl .k {" in css.text  # the highlighting classes
    assert css.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert (await get(reader, "/static/reader.0.css")).status_code == 404


async def test_health_and_readiness(reader: Reader) -> None:
    assert (await get(reader, "/healthz")).text == "ok"
    assert (await get(reader, "/readyz")).status_code == 200


async def test_language_follows_the_browser(reader: Reader) -> None:
    chinese = (await get(reader, "/", **{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})).text
    assert '<html lang="zh">' in chinese and "最新" in chinese
    english = (await get(reader, "/", **{"Accept-Language": "de-DE,en;q=0.8"})).text
    assert '<html lang="en">' in english and "Latest" in english


async def test_tags_with_slashes_spaces_and_percent_signs(reader: Reader) -> None:
    article = (await get(reader, "/p/tags")).text
    for tag, path in (("C/C++", "/t/C%2FC%2B%2B"), ("a b", "/t/a%20b"), ("100%", "/t/100%25")):
        assert f'<a href="{path}">#{tag}</a>' in article
        listed = await get(reader, path)
        assert listed.status_code == 200 and "Tags that need escaping" in listed.text, path


async def test_more_routes_share_the_app_and_its_headers(reader: Reader) -> None:
    """Room for `/metrics` and the Telegram webhook: served beside the reader."""

    async def metrics(_request: Request) -> Response:
        return PlainTextResponse("herald_up 1\n")

    app = web_app(
        reader.app.reader,
        content_dir=reader.content,
        default_language="en",
        more_routes=[Route("/metrics", metrics)],
    )
    server = WebServer(app, host="127.0.0.1", port=0)
    url = server.bind()
    stop = asyncio.Event()
    serving = asyncio.create_task(server.serve(stop))
    try:
        async with httpx.AsyncClient(base_url=url) as client:
            answer = await client.get("/metrics")
            assert answer.text == "herald_up 1\n"
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert (await client.get("/p/attention")).status_code == 200
    finally:
        stop.set()
        await serving
