"""Mini App launch data: Telegram's signature checked before it personalises a page."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote

import httpx
import pytest

from herald.web.init_data import InitDataError, sign_init_data, verify_init_data
from tests.web.site import BOT_TOKEN, Reader

NOW = 1_750_000_000
USER = json.dumps({"id": 42, "first_name": "Ada", "language_code": "zh-hans"}, ensure_ascii=False)
FIELDS = {
    "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
    "user": USER,
    "auth_date": str(NOW - 10),
    "chat_type": "private",
    "signature": "Zm9vYmFy-base64url_signature_for_third_parties",
}


def test_valid_data_names_the_user_and_language() -> None:
    user = verify_init_data(sign_init_data(FIELDS, BOT_TOKEN), BOT_TOKEN, now=NOW)
    assert (user.id, user.language_code) == (42, "zh-hans")


def test_field_order_and_percent_encoding_do_not_matter() -> None:
    signed = sign_init_data({**FIELDS, "start_param": "a b"}, BOT_TOKEN)
    reordered = "&".join(reversed(signed.split("&"))).replace("a+b", "a%20b")
    assert verify_init_data(reordered, BOT_TOKEN, now=NOW).id == 42


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: s.replace("Ada", "Eve"),
        lambda s: s.replace("chat_type=private", "chat_type=group"),
        lambda s: s + "&extra=1",
        lambda s: "&".join(p for p in s.split("&") if not p.startswith("signature=")),
    ],
)
def test_tampering_is_refused(tamper: Callable[[str], str]) -> None:
    with pytest.raises(InitDataError, match="hash mismatch"):
        verify_init_data(tamper(sign_init_data(FIELDS, BOT_TOKEN)), BOT_TOKEN, now=NOW)


def test_another_bots_data_is_refused() -> None:
    with pytest.raises(InitDataError, match="hash mismatch"):
        verify_init_data(sign_init_data(FIELDS, BOT_TOKEN), BOT_TOKEN + "x", now=NOW)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("", "empty"),
        ("user=x&auth_date=1", "hash"),
        ("hash=" + "A" * 64, "hash"),
        ("a=1&a=2&hash=" + "0" * 64, "duplicate"),
        ("novalue&hash=" + "0" * 64, "malformed"),
        ("x" * 20_000, "oversized"),
    ],
)
def test_malformed_data_is_refused(data: str, reason: str) -> None:
    with pytest.raises(InitDataError, match=reason):
        verify_init_data(data, BOT_TOKEN, now=NOW)


def test_old_and_future_data_are_refused() -> None:
    old = sign_init_data({**FIELDS, "auth_date": str(NOW - 90_000)}, BOT_TOKEN)
    with pytest.raises(InitDataError, match="expired"):
        verify_init_data(old, BOT_TOKEN, now=NOW)
    future = sign_init_data({**FIELDS, "auth_date": str(NOW + 3600)}, BOT_TOKEN)
    with pytest.raises(InitDataError, match="future"):
        verify_init_data(future, BOT_TOKEN, now=NOW)


def test_a_vector_signed_by_telegram() -> None:
    """Published in a third-party project's tests (tgtb, 2024) with its long-public token:
    agreeing with it shows the scheme is Telegram's, not only self-consistent."""
    token = "7040088495:AAHVy6LQH-RvZzYi7c5-Yv5w046qPUO2NTk"
    data = (
        "query_id=AAF9tpYRAAAAAH22lhEbSiPx&user=%7B%22id%22%3A295089789%2C%22first_name%22"
        "%3A%22Viacheslav%22%2C%22last_name%22%3A%22Melnikov%22%2C%22username%22%3A%22the_"
        "real_izzqz%22%2C%22language_code%22%3A%22en%22%2C%22is_premium%22%3Atrue%2C%22allo"
        "ws_write_to_pm%22%3Atrue%7D&auth_date=1717087395&hash=7d14c29d52a97f6b71d67c5cb793"
        "94675523b53826516f489fb318716389eb7b"
    )
    user = verify_init_data(data, token, now=1717087400)
    assert (user.id, user.language_code) == (295089789, "en")


@pytest.mark.asyncio(loop_scope="session")
async def test_the_session_sets_the_readers_own_language(reader: Reader) -> None:
    """Verified launch data: the reader's `/language` choice in the bot wins over their
    Telegram language; the page then speaks it.  Forged data changes nothing."""
    now = reader.app.reader.clock()
    await reader.app.store.preferences.set_language("telegram", "7", "zh")
    user = json.dumps({"id": 7, "first_name": "Li", "language_code": "en"})
    signed = sign_init_data({"user": user, "auth_date": str(int(now))}, BOT_TOKEN)
    async with httpx.AsyncClient(base_url=reader.url) as client:
        forged = await client.post("/tg/session", content=signed.replace("Li", "Lu"))
        assert forged.status_code == 403 and "herald_lang" not in forged.cookies
        answer = await client.post("/tg/session", content=signed)
        assert answer.status_code == 200 and answer.json() == {"lang": "zh"}
        page = await client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="zh">' in page.text
    assert quote("zh") == answer.cookies["herald_lang"]
