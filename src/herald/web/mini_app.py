"""A Telegram Mini App's reader: who they are (verified) decides the page's language.

Opened as a Mini App, a page hands Telegram's signed launch data to `POST /tg/session`
(`static/tg.js`); it is trusted only once its signature checks out with the bot token
(`init_data`), and then the reader's own `/language` choice in the bot, else their
Telegram language, is kept in a cookie every later page reads.  Without it, the
browser's languages decide.  Nothing else is personalised: posts are public.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from herald.adapters.telegram_adapter import PLATFORM as TELEGRAM
from herald.core.i18n import Language, language_of, parse_language
from herald.core.reader import ReaderService
from herald.limits import WEB_INIT_DATA_CHARS
from herald.web.init_data import InitDataError, verify_init_data

log = logging.getLogger("herald.web")

LANGUAGE_COOKIE = "herald_lang"


def reader_language(request: Request, default: Language) -> Language:
    """The reader's language: a verified Mini App choice (the cookie), else the first
    language of the browser's that Herald speaks, else `[bot] default_language`."""
    chosen = parse_language(request.cookies.get(LANGUAGE_COOKIE))
    if chosen is not None:
        return chosen
    ranked: list[tuple[float, str]] = []
    for entry in request.headers.get("accept-language", "").split(",")[:16]:
        code, _, quality = entry.strip().partition(";q=")
        try:
            ranked.append((float(quality) if quality else 1.0, code))
        except ValueError:
            continue
    for _quality, code in sorted(ranked, key=lambda pair: -pair[0]):
        if parse_language(code[:2]) is not None:
            return language_of(code, default)
    return default


def session_endpoint(
    reader: ReaderService, telegram_token: SecretStr | None, default_language: Language
) -> Callable[[Request], Awaitable[Response]]:
    async def session(request: Request) -> Response:
        """A Mini App's launch data, verified, sets the reader's language (their
        `/language` choice in the bot, else their Telegram language)."""
        if telegram_token is None:
            return PlainTextResponse("not found", status_code=404)
        received = b""
        async for chunk in request.stream():
            received += chunk
            if len(received) > WEB_INIT_DATA_CHARS:
                return PlainTextResponse("too large", status_code=413)
        try:
            user = verify_init_data(
                received.decode("utf-8", "replace"),
                telegram_token.get_secret_value(),
                now=reader.clock(),
            )
        except InitDataError as refused:
            log.info("Mini App launch data refused: %s", refused)
            return PlainTextResponse("forbidden", status_code=403)
        stored = await reader.preferences.language(TELEGRAM.name, str(user.id))
        lang = parse_language(stored) or language_of(user.language_code, default_language)
        answer = JSONResponse({"lang": lang}, headers={"Cache-Control": "no-store"})
        # Telegram Web frames the reader from another site: only a Secure SameSite=None
        # cookie reaches the frame (behind the HTTPS proxy); plain HTTP keeps Lax.
        secure = request.url.scheme == "https"
        answer.set_cookie(
            LANGUAGE_COOKIE,
            lang,
            max_age=365 * 86_400,
            httponly=True,
            secure=secure,
            samesite="none" if secure else "lax",
        )
        return answer

    return session
