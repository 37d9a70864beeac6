"""Telegram webhooks behind a load balancer (issue 19): three `herald run` replicas on one
PostgreSQL database, each listening on its own port for the same public webhook URL.

The fake Bot API delivers each update to the next replica in turn, as a load balancer in
front of them would, so one reader's session is spread across all three.  Everything a
handler needs must come from the update and the database, never from the memory of the
replica that answered the update before: the page a button turns to, the list `/read 3`
counts in, the subscription `/settings` shows and its toggles change, the language a
reader chose.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from fakes.telegram_server import FakeTelegram, Sent

from herald.core.actions import decode
from tests.conftest import REPO
from tests.replicas import LEADS, Replica, free_port, replicas

ALICE = 1001
PUBLIC_URL = "https://bot.example.com/hook"


def _configs(tmp_path: Path, tg: FakeTelegram, url: str, ports: list[int]) -> list[Path]:
    paths = []
    for n, port in enumerate(ports, 1):
        path = tmp_path / f"replica{n}.toml"
        path.write_text(
            f'[content]\ndir = "{REPO / "content"}"\n[store]\nurl = "{url}"\n'
            '[bot]\ndefault_language = "en"\npage_size = 5\n'
            f'[telegram]\nbase_url = "{tg.base_url}"\nmax_per_chat_per_second = 50.0\n'
            f'mode = "webhook"\nwebhook_url = "{PUBLIC_URL}"\nwebhook_port = {port}\n',
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def _buttons(message: Sent) -> list[str]:
    return [b["callback_data"] for b in message.buttons if "callback_data" in b]


def _titles(text: str | None) -> list[str]:
    return re.findall(r"^\d+\. (.+)$", text or "", re.M)


class Session:
    """One reader (Alice) talking to whichever replica the load balancer picks."""

    def __init__(self, tg: FakeTelegram, fleet: list[Replica]) -> None:
        self.tg = tg
        self.fleet = fleet
        self.answered_by: list[int] = []

    async def _step(self, act: Callable[[], Awaitable[object]], done: Callable[[], bool]) -> int:
        delivered = len(self.tg.webhook.delivered)
        await act()
        try:
            await self.tg.wait_for(
                lambda: len(self.tg.webhook.delivered) > delivered and done(), seconds=30
            )
        except TimeoutError:
            raise AssertionError("\n".join(r.log() for r in self.fleet)) from None
        replica = self.tg.webhook.delivered[-1].replica
        self.answered_by.append(replica)
        return replica

    async def say(self, text: str, *, replies: int = 1) -> list[Sent]:
        before = len(self.tg.sent(ALICE))
        await self._step(
            lambda: self.tg.user_sends(ALICE, text),
            lambda: len(self.tg.sent(ALICE)) >= before + replies,
        )
        return self.tg.sent(ALICE)[before:]

    async def press(self, message: Sent, data: str, done: Callable[[], bool]) -> None:
        async def press() -> None:
            await self.tg.user_presses(ALICE, message.message_id, data)

        await self._step(press, done)


async def test_a_readers_session_spread_across_three_webhook_replicas(
    tmp_path: Path, postgres_url: str
) -> None:
    ports = [free_port() for _ in range(3)]
    async with FakeTelegram() as tg, replicas(_configs(tmp_path, tg, postgres_url, ports)) as fleet:
        for replica in fleet:
            await replica.wait_logged("telegram: running as")  # listening, webhook set
        # The leader synced before it served: by now every replica sees every post.
        assert sum(replica.logged(LEADS) for replica in fleet) == 1
        assert len(tg.calls("setWebhook")) == 3 and tg.webhook.url == PUBLIC_URL
        tg.deliver_to([f"http://127.0.0.1:{port}" for port in ports])
        alice = Session(tg, fleet)

        [feed] = await alice.say("/latest")
        assert (feed.text or "").startswith("LATEST UPDATES · page 1/")
        first_page = _titles(feed.text)
        next_page = next(d for d in _buttons(feed) if d == "l:2")
        await alice.press(feed, next_page, lambda: "page 2/" in (feed.text or ""))
        assert _titles(feed.text)[0] not in first_page  # the next five, not the first

        opened = len(tg.sent(ALICE))
        read = next(d for d in _buttons(feed) if type(decode(d)).__name__ == "ReadPost")
        await alice.press(feed, read, lambda: any(m.buttons for m in tg.sent(ALICE)[opened:]))
        article = next(m for m in tg.sent(ALICE)[opened:] if m.buttons)
        back = _buttons(article)[0]
        assert back == "l:2"  # back to the page it was opened from, carried in the button
        await alice.press(article, back, lambda: "page 2/" in (tg.sent(ALICE)[-1].text or ""))

        [third, *_] = await alice.say("/read 3")  # counts in the list /latest showed
        assert (third.text or "").startswith(first_page[2][:12]), (first_page, third.text)

        await alice.say("/subscribe LLM")
        [settings] = await alice.say("/settings")
        assert "tagged llm" in (settings.text or ""), settings.text
        silent = next(d for d in _buttons(settings) if d.startswith("o:s"))
        await alice.press(settings, silent, lambda: "Silent: on" in (settings.text or ""))

        await alice.say("/language zh")  # a reader's language, chosen on one replica
        [help_text] = await alice.say("/help")
        assert "/latest" in (help_text.text or "") and "最新文章" in (help_text.text or "")

        down = tg.webhook.next_replica
        fleet[down].kill()  # the replica whose turn is next dies: its POST fails
        await fleet[down].process.wait()
        [again] = await alice.say("/latest")  # delivered again, to the next replica
        assert (again.text or "").startswith("LATEST UPDATES") and tg.webhook.failed_posts >= 1
        assert alice.answered_by[-1] != down

    assert sorted(set(alice.answered_by)) == [0, 1, 2]
    steps = alice.answered_by
    assert all(a != b for a, b in itertools.pairwise(steps[:-1])), steps  # never the same twice
    print(f"\nwebhook session: step i answered by replica {steps}")


POLLING_CONFLICT = "another process polls this bot's token"


async def test_two_replicas_left_polling_say_so_once_each_and_keep_answering(
    tmp_path: Path, postgres_url: str
) -> None:
    """Telegram ends one poll with the other for as long as two processes poll a token (a
    409 Conflict each time): a misconfiguration to be told, once, not a log line every
    few seconds forever; readers are still answered."""
    async with FakeTelegram() as tg:
        paths = []
        for n in (1, 2):
            path = tmp_path / f"polling{n}.toml"
            path.write_text(
                f'[content]\ndir = "{REPO / "content"}"\n[store]\nurl = "{postgres_url}"\n'
                '[bot]\ndefault_language = "en"\n'
                f'[telegram]\nbase_url = "{tg.base_url}"\npoll_timeout = 1.0\n',
                encoding="utf-8",
            )
            paths.append(path)
        async with replicas(paths) as fleet:
            for replica in fleet:
                await replica.wait_logged("telegram: running as")
            await tg.wait_for(lambda: tg.conflicts >= 6, seconds=60)
            tg.known_chats.add(ALICE)
            for asked in range(1, 4):
                await tg.user_sends(ALICE, "/latest")
                await tg.wait_for(lambda n=asked: len(tg.sent(ALICE)) >= n, seconds=60)
            told = [replica.logged(POLLING_CONFLICT) for replica in fleet]
            failures = [replica.logged("polling failed") for replica in fleet]
    assert sum(told) >= 1 and max(told) == 1, told  # said, and only once per replica
    assert failures == [0, 0], failures
    assert all((m.text or "").startswith("LATEST UPDATES") for m in tg.sent(ALICE))
