"""The headers every reader response carries, and each page's Content-Security-Policy.

The policy allows nothing from elsewhere (no CDN, fonts, trackers or frames of other
sites), no inline script and no inline style, except the exact style values a page's math
needs, by hash (`herald.render.web_math`).  Telegram Web opens a Mini App in an iframe,
so it may frame the reader; nothing else may.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_POLICY = (
    "default-src 'none'; style-src 'self'{styles}; img-src 'self'; script-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'self' https://web.telegram.org"
)
MEDIA_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
"""For an image opened on its own: whatever it is, it never runs as a page of the site."""

_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)


def page_policy(style_hashes: Sequence[str] = ()) -> str:
    styles = " 'unsafe-hashes' " + " ".join(style_hashes) if style_hashes else ""
    return _POLICY.format(styles=styles)


class SecurityHeaders:
    """Pure ASGI middleware: the fixed headers, and the default policy where a response
    brings none of its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.default_policy = page_policy().encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name == b"content-security-policy" for name, _ in headers):
                    headers.append((b"content-security-policy", self.default_policy))
                message["headers"] = [*headers, *_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)
