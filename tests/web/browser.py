"""Headless Chromium for tests: Debian's `chromium` driven by Playwright, no browser download.

The fixtures are imported by `tests/web/conftest.py`; `launch()` / `open_page()` work from
any async code too.

* The browser is found at `$HERALD_CHROMIUM`, else Debian's real binary
  `/usr/lib/chromium/chromium` (skipping the `/usr/bin/chromium` shell wrapper, which sources
  /etc/chromium.d and prints a harmless `[: … unexpected operator` on this machine), else
  `chromium` / `chromium-browser` on PATH.  Missing: tests skip, or fail when `CI` is set
  (so a CI that forgot `apt-get install chromium` cannot pass by skipping).
* One browser per test session (launch ≈ 0.1–0.2 s plus ≈ 0.3 s for Playwright's node driver);
  a fresh context per page, so no cookies, cache or colour scheme leak between tests.
* Closed network: every request whose origin is not in `allow` is aborted by a route and
  recorded in `PageLog.blocked`; `--host-resolver-rules` additionally makes every DNS lookup
  other than localhost fail inside Chromium, so its own background services (component
  updater, account check, network time) never leave the machine either.
* `PageLog` also records console errors, uncaught page errors and CSP violations, so a test
  can assert a page is clean.

Async tests that use the session-scoped `browser` fixture must run in the session loop:
`pytestmark = pytest.mark.asyncio(loop_scope="session")` (or set
`asyncio_default_test_loop_scope = "session"` in the pytest ini options).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from playwright.async_api import (
    Browser,
    ConsoleMessage,
    Error,
    Page,
    Playwright,
    Request,
    Route,
    async_playwright,
)

__all__ = [
    "CHROMIUM_ARGS",
    "PageLog",
    "find_chromium",
    "launch",
    "open_page",
]

CHROMIUM_ARGS: tuple[str, ...] = (
    # Root cannot use the setuid/namespace sandbox; Playwright adds --no-sandbox itself when
    # chromium_sandbox is False (its default), it is listed to make the need explicit.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # Closed network: no background fetches, and no name resolves except loopback.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-domain-reliability",
    "--no-pings",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
    # Identical text rendering across machines (fonts hinting/subpixel off).
    "--font-render-hinting=none",
    "--disable-lcd-text",
)

ColorScheme = Literal["light", "dark", "no-preference"]


def find_chromium() -> str | None:
    """The Chromium executable to drive, or None when none is installed."""
    candidates = (
        os.environ.get("HERALD_CHROMIUM"),
        "/usr/lib/chromium/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    )
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@asynccontextmanager
async def launch(
    executable: str | None = None, *, extra_args: Sequence[str] = ()
) -> AsyncIterator[Browser]:
    """Start Playwright's driver and a headless Chromium; both stop on exit."""
    path = executable or find_chromium()
    if path is None:
        raise RuntimeError("no Chromium found: apt-get install -y chromium")
    async with async_playwright() as playwright:
        browser = await _launch(playwright, path, extra_args)
        try:
            yield browser
        finally:
            await browser.close()


async def _launch(playwright: Playwright, path: str, extra_args: Sequence[str]) -> Browser:
    return await playwright.chromium.launch(
        executable_path=path,
        headless=True,
        args=[*CHROMIUM_ARGS, *extra_args],
        timeout=30_000,
    )


@dataclass
class PageLog:
    """What a page did that a test may want to forbid."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        problems = {
            "blocked requests": self.blocked,
            "console errors": self.console_errors,
            "page errors": self.page_errors,
            "CSP violations": self.csp_violations,
        }
        found = {name: items for name, items in problems.items() if items}
        assert not found, f"page not clean: {found}"


_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations = window.__cspViolations || [];
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
  document.documentElement.dataset.cspViolations = window.__cspViolations.length;
});
"""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else f"{parts.scheme}:"


@asynccontextmanager
async def open_page(
    browser: Browser,
    *,
    width: int = 390,
    height: int = 844,
    color_scheme: ColorScheme = "light",
    device_scale_factor: float = 1,
    allow: Sequence[str] = ("http://127.0.0.1", "http://localhost", "file:", "data:", "about:"),
    locale: str = "en-US",
) -> AsyncIterator[tuple[Page, PageLog]]:
    """A page in a fresh context with the given viewport and colour scheme, and its log.

    Requests to an origin outside `allow` (prefix match on scheme://host[:port]) are aborted
    and recorded in `log.blocked`.  Default viewport: an iPhone 12–15 in portrait (390×844).
    """
    context = await browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=device_scale_factor,
        color_scheme=color_scheme,
        reduced_motion="reduce",
        locale=locale,
        service_workers="block",
    )
    log = PageLog()

    async def gate(route: Route, request: Request) -> None:
        log.requests.append(request.url)
        if _origin(request.url).startswith(tuple(allow)):
            await route.continue_()
        else:
            log.blocked.append(request.url)
            await route.abort("blockedbyclient")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            log.console_errors.append(message.text)

    def on_page_error(error: Error) -> None:
        log.page_errors.append(str(error))

    await context.route("**/*", gate)
    await context.add_init_script(_CSP_LISTENER)
    page = await context.new_page()
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    try:
        yield page, log
        with suppress(Error):  # page already closed or navigated to an error page
            log.csp_violations += await page.evaluate("window.__cspViolations || []")
    finally:
        await context.close()


# -- pytest fixtures -------------------------------------------------------------------------

PageFactory = Callable[..., AbstractAsyncContextManager[tuple[Page, PageLog]]]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        message = "Chromium not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(chromium_path: str) -> AsyncIterator[Browser]:
    async with launch(chromium_path) as instance:
        yield instance


@pytest.fixture
def new_page(browser: Browser) -> PageFactory:
    """`async with new_page(width=390, color_scheme="dark") as (page, log): …`"""

    def factory(**options: object) -> AbstractAsyncContextManager[tuple[Page, PageLog]]:
        return open_page(browser, **options)  # type: ignore[arg-type]

    return factory


ARTIFACTS = Path(__file__).parent / "artifacts"
"""Where screenshots go unless `$HERALD_ARTIFACTS` says otherwise (git-ignored)."""


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    configured = os.environ.get("HERALD_ARTIFACTS")
    path = Path(configured) if configured else ARTIFACTS
    path.mkdir(parents=True, exist_ok=True)
    return path


Screenshot = Callable[[Page, str], Awaitable[Path]]


@pytest.fixture
def screenshot(artifacts_dir: Path) -> Screenshot:
    async def take(page: Page, name: str) -> Path:
        path = artifacts_dir / f"{name}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path

    return take
