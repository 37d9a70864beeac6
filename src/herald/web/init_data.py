"""Telegram Mini App launch data (`initData`), verified before it personalises a page.

Telegram signs what it hands a Mini App ("Validating data received via the Mini App"):

    data_check_string = "\\n".join(f"{k}={v}" for k, v in sorted(fields) if k != "hash")
    secret_key        = HMAC_SHA256(key=b"WebAppData", msg=bot_token)
    valid            ⇔ hex(HMAC_SHA256(key=secret_key, msg=data_check_string)) == hash

on the URL-decoded values; `auth_date` bounds a replay.  Checked against a vector
published with a real (long public) token, see `tests/web/test_init_data.py`.  Only the
reader's language depends on it: public posts need no login.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from herald.limits import WEB_INIT_DATA_CHARS, WEB_INIT_DATA_MAX_AGE

_HEX64 = re.compile(r"[0-9a-f]{64}")
_CLOCK_SKEW = 60.0


class InitDataError(ValueError):
    """Launch data that must not be trusted; the message says why (for the log)."""


@dataclass(frozen=True, slots=True)
class TelegramUser:
    id: int
    language_code: str | None


def _secret(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def _check_string(fields: dict[str, str]) -> bytes:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash").encode()


def verify_init_data(
    init_data: str, bot_token: str, *, now: float, max_age: float = WEB_INIT_DATA_MAX_AGE
) -> TelegramUser:
    """The user Telegram vouches for, or InitDataError; the hash compared in constant time."""
    if not init_data or len(init_data) > WEB_INIT_DATA_CHARS:
        raise InitDataError("empty or oversized initData")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True, max_num_fields=64)
    except ValueError as exc:
        raise InitDataError(f"malformed initData: {exc}") from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key in fields:
            raise InitDataError(f"duplicate field {key!r}")
        fields[key] = value
    received = fields.get("hash", "")
    if not _HEX64.fullmatch(received):
        raise InitDataError("missing or malformed hash")
    expected = hmac.new(_secret(bot_token), _check_string(fields), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, received):
        raise InitDataError("hash mismatch")
    try:
        auth_date = int(fields["auth_date"])
    except (KeyError, ValueError):
        raise InitDataError("missing or malformed auth_date") from None
    if auth_date > now + _CLOCK_SKEW:
        raise InitDataError("auth_date in the future")
    if now - auth_date > max_age:
        raise InitDataError("initData expired")
    return _user(fields.get("user", ""))


def _user(raw: str) -> TelegramUser:
    try:
        user = json.loads(raw)
        user_id = user["id"]
    except (ValueError, TypeError, KeyError):
        raise InitDataError("no user in initData") from None
    if not isinstance(user_id, int):
        raise InitDataError("no user in initData")
    code = user.get("language_code")
    return TelegramUser(user_id, code if isinstance(code, str) else None)


def sign_init_data(fields: dict[str, str], bot_token: str) -> str:
    """Launch data as Telegram would sign it for `fields` (tests, local development)."""
    digest = hmac.new(_secret(bot_token), _check_string(fields), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})
