"""The reader in real headless Chromium (Debian's, driven by Playwright) on a phone's width.

Under `CI` a missing Chromium fails these tests; elsewhere they skip, saying why.  Every
page must make no request outside the reader, log no error and break no policy.
Screenshots go to `tests/web/artifacts/` (or `$HERALD_ARTIFACTS`); with
`HERALD_DOCS_SCREENSHOTS=1` the light and dark ones at 390 px also replace the README's
(`docs/reader-light.png`, `docs/reader-dark.png`), so a test run never changes the tree.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.async_api import expect

from herald.web.init_data import sign_init_data
from tests.web.browser import PageFactory, Screenshot
from tests.web.site import BOT_TOKEN, Reader

pytestmark = pytest.mark.asyncio(loop_scope="session")

DOCS = Path(__file__).resolve().parents[2] / "docs"
NO_PAGE_SCROLL = "document.documentElement.scrollWidth <= innerWidth"
MATH_BOXES = (
    "[...document.querySelectorAll('math')].map(m => m.getBoundingClientRect())"
    ".map(r => [r.width, r.height])"
)
SCROLLING_BOXES = (
    "[...document.querySelectorAll('.scroll')].filter(e => e.scrollWidth > e.clientWidth)"
    ".map(e => e.firstElementChild.tagName.toUpperCase())"
)


def for_the_readme(shot: Path, name: str) -> None:
    if os.environ.get("HERALD_DOCS_SCREENSHOTS"):
        DOCS.mkdir(exist_ok=True)
        shutil.copyfile(shot, DOCS / name)


@pytest.mark.parametrize("width", [360, 390, 430])
async def test_math_tables_and_code_on_a_phone(
    reader: Reader, new_page: PageFactory, screenshot: Screenshot, width: int
) -> None:
    async with new_page(width=width, height=844) as (page, log):
        await page.goto(f"{reader.url}/p/attention")
        await page.wait_for_load_state("networkidle")
        assert await page.evaluate(NO_PAGE_SCROLL)
        boxes = await page.evaluate(MATH_BOXES)
        assert len(boxes) >= 8 and all(w > 0 and h > 0 for w, h in boxes), boxes
        # the wide table, the long code line and the wide formula scroll in their boxes
        scrolling = await page.evaluate(SCROLLING_BOXES)
        assert {"TABLE", "PRE", "MATH"} <= set(scrolling), scrolling
        assert await page.evaluate(
            "[...document.images].every(i => i.complete && i.naturalWidth > 0)"
        )
        assert await page.evaluate("document.images.length") == 1  # the remote one is a link
        assert await page.title() == "Attention, on a phone"  # the hostile TeX ran nothing
        shot = await screenshot(page, f"reader-{width}-light")
        if width == 390:
            for_the_readme(shot, "reader-light.png")
    log.assert_clean()
    assert all(url.startswith(reader.url) for url in log.requests), log.requests


async def test_dark_mode(reader: Reader, new_page: PageFactory, screenshot: Screenshot) -> None:
    async with new_page(width=390, color_scheme="dark") as (page, log):
        await page.goto(f"{reader.url}/p/attention")
        colours = await page.evaluate(
            """({body: getComputedStyle(document.body).backgroundColor,
                 text: getComputedStyle(document.body).color,
                 code: getComputedStyle(document.querySelector('pre.hl')).backgroundColor})"""
        )
        assert colours == {
            "body": "rgb(13, 17, 23)",
            "text": "rgb(230, 237, 243)",
            "code": "rgb(13, 17, 23)",
        }, colours
        assert await page.evaluate(NO_PAGE_SCROLL)
        for_the_readme(await screenshot(page, "reader-390-dark"), "reader-dark.png")
    log.assert_clean()


async def test_telegram_theme_parameters(
    reader: Reader, new_page: PageFactory, screenshot: Screenshot
) -> None:
    """Opened as a Mini App: Telegram's theme colours, with no script of Telegram's."""
    theme = (
        '{"bg_color":"#17212b","text_color":"#f5f5f5","hint_color":"#708499",'
        '"link_color":"#6ab3f3","secondary_bg_color":"#232e3c"}'
    )
    fragment = f"#tgWebAppVersion=8.0&tgWebAppThemeParams={quote(theme)}"
    async with new_page(width=390, color_scheme="light") as (page, log):
        await page.goto(f"{reader.url}/p/attention{fragment}")
        await expect(page.locator("html")).to_have_class(re.compile(r"\btg\b"))
        body = await page.evaluate("getComputedStyle(document.body).backgroundColor")
        code = await page.evaluate(
            "getComputedStyle(document.querySelector('pre.hl')).backgroundColor"
        )
        assert (body, code) == ("rgb(23, 33, 43)", "rgb(13, 17, 23)")
        await screenshot(page, "reader-390-telegram")
    log.assert_clean()  # the theme is set through the CSSOM: no policy broken


async def test_the_search_box_finds_a_chinese_two_character_word(
    reader: Reader, new_page: PageFactory, screenshot: Screenshot
) -> None:
    async with new_page(width=390) as (page, log):
        await page.goto(reader.url)
        await page.fill("input[name=q]", "显存")
        async with page.expect_navigation():
            await page.press("input[name=q]", "Enter")
        assert "/search?q=" in page.url
        titles = await page.locator("ol.posts h2 a").all_inner_texts()
        assert titles == ["Attention, on a phone"]
        assert await page.locator("ol.posts mark").first.inner_text() == "显存"
        assert await page.evaluate(NO_PAGE_SCROLL)
        await screenshot(page, "search-390")
    log.assert_clean()


async def test_the_feed_on_a_phone(
    reader: Reader, new_page: PageFactory, screenshot: Screenshot
) -> None:
    async with new_page(width=360) as (page, log):
        await page.goto(reader.url)
        assert await page.locator("ol.posts > li").count() == 20
        await page.click("a[rel=next]")
        assert page.url.endswith("/?page=2")
        assert await page.evaluate(NO_PAGE_SCROLL)
        await screenshot(page, "feed-360")
    log.assert_clean()


async def test_the_policy_refuses_injected_script_and_style(
    reader: Reader, new_page: PageFactory
) -> None:
    """Defence in depth: were markup ever to slip through, the policy would not run it."""
    async with new_page() as (page, _log):
        await page.goto(f"{reader.url}/p/attention")
        await page.evaluate(
            """() => { const d = document.createElement('div');
            d.innerHTML = '<img src=x onerror="document.title=1"><b style="color:red">x</b>';
            document.body.append(d); }"""
        )
        await expect(page.locator("html")).to_have_attribute(
            "data-csp-violations", re.compile(r"^(?:[2-9]|\d\d+)$")
        )
        violations = await page.evaluate("window.__cspViolations")
        assert await page.title() == "Attention, on a phone"
    assert any("script-src" in v for v in violations), violations
    assert any("style-src" in v for v in violations), violations


async def test_a_mini_app_speaks_the_readers_language(
    reader: Reader, new_page: PageFactory
) -> None:
    """Telegram's signed launch data, checked by the server, picks the page's language;
    forged data is refused and the page stays as the browser asked."""
    user = json.dumps({"id": 8, "first_name": "Wei", "language_code": "zh-hans"})
    signed = sign_init_data({"user": user, "auth_date": str(int(time.time()))}, BOT_TOKEN)
    for launch, expected in ((signed.replace("Wei", "Eve"), "en"), (signed, "zh")):
        async with new_page(locale="en-US") as (page, log):
            async with page.expect_response(lambda r: r.url.endswith("/tg/session")) as sent:
                await page.goto(f"{reader.url}/#tgWebAppData={quote(launch)}")
            answer = await sent.value
            if expected == "zh":
                await expect(page.locator("html")).to_have_attribute("lang", "zh")
                assert await page.locator("header.site nav > a").inner_text() == "最新"
            else:
                assert answer.status == 403
                assert await page.evaluate("document.documentElement.lang") == "en"
        assert log.page_errors == [] and log.csp_violations == [] and log.blocked == []
