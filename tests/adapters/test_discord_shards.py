"""Discord sharding (issue 19): two replicas, one shard each, each answering its own guilds.

The fake gateway assigns guilds to shards as Discord does (`(guild_id >> 22) %
shard_count`), tells each connection only of its guilds and sends it only their
interactions, and refuses a connection that identifies with the wrong shard count.  Each
replica here has its own content (its own store), so the answer shows which one gave it.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route
from fakes.discord_server import GUILD_ID, TOKEN, FakeDiscord, shard_of

from herald.app import open_app
from herald.config import ConfigError, load_config
from tests.adapters.test_discord import Harness

OTHER_GUILD = GUILD_ID + (1 << 22)
"""The next guild id in Discord's order: on the other shard of two."""


@contextlib.asynccontextmanager
async def replica(
    fake: FakeDiscord, tmp_path: Path, name: str, shards: str
) -> AsyncIterator[Harness]:
    folder = tmp_path / name
    content = folder / "content"
    content.mkdir(parents=True)
    (content / f"{name}.md").write_text(
        f"---\ntitle: Post of {name}\ndate: 2025-01-01\n---\n\nBody.\n", encoding="utf-8"
    )
    path = folder / "herald.toml"
    path.write_text(
        f'[content]\ndir = "{content}"\n[store]\npath = "{folder / "h.db"}"\n'
        f'[bot]\ndefault_language = "en"\n'
        f'[discord]\napi_base = "{fake.api_base}"\ngateway_url = "{fake.gateway_url}"\n{shards}',
        encoding="utf-8",
    )
    async with open_app(load_config(path, environ={"HERALD_DISCORD_TOKEN": TOKEN})) as app:
        await app.sync()
        harness = Harness(fake, app, path)
        await harness.start_client()
        try:
            yield harness
        finally:
            await harness.stop_client()


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with FakeDiscord(shards=2, guild_ids=(GUILD_ID, OTHER_GUILD)) as server:
            yield server
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved[0], yarl.URL(str(saved[1]))


async def test_each_guild_is_answered_by_the_replica_running_its_shard(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    assert shard_of(GUILD_ID, 2) != shard_of(OTHER_GUILD, 2)
    first, second = shard_of(GUILD_ID, 2), shard_of(OTHER_GUILD, 2)
    async with (
        replica(fake, tmp_path, "alpha", f"shard_count = 2\nshard_ids = [{first}]\n") as alpha,
        replica(fake, tmp_path, "beta", f"shard_count = 2\nshard_ids = [{second}]\n") as beta,
    ):
        assert fake.shard_connections() == [(0, 2), (1, 2)]
        assert alpha.client is not None and beta.client is not None
        assert [g.id for g in alpha.client.guilds] == [GUILD_ID]
        assert [g.id for g in beta.client.guilds] == [OTHER_GUILD]
        for guild, owner in ((GUILD_ID, "alpha"), (OTHER_GUILD, "beta")):
            answer = await fake.answered(await fake.slash("latest", guild_id=guild))
            assert answer.response is not None
            titles = [embed["title"] for embed in answer.response["embeds"]]
            assert titles == [f"1. Post of {owner}"], (guild, titles)


async def test_one_replica_without_a_shard_count_runs_every_shard(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    async with replica(fake, tmp_path, "solo", "") as solo:
        assert fake.shard_connections() == [(0, 2), (1, 2)]
        assert solo.client is not None
        assert sorted(g.id for g in solo.client.guilds) == [GUILD_ID, OTHER_GUILD]
        for guild in (GUILD_ID, OTHER_GUILD):
            answer = await fake.answered(await fake.slash("latest", guild_id=guild))
            assert answer.response is not None


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("shard_ids = [0]\n", "shard_ids needs shard_count"),
        ("shard_count = 2\nshard_ids = [2]\n", "shard_ids must be distinct shards from 0 to 1"),
        ("shard_count = 2\nshard_ids = [0, 0]\n", "shard_ids must be distinct shards"),
        ("shard_count = 0\n", r"\[discord\] shard_count: Input should be greater than 0"),
    ],
)
def test_shard_settings_that_cannot_work_are_one_line(
    tmp_path: Path, keys: str, expected: str
) -> None:
    path = tmp_path / "herald.toml"
    path.write_text(f"[discord]\n{keys}", encoding="utf-8")
    with pytest.raises(ConfigError, match=expected) as caught:
        load_config(path, environ={"HERALD_DISCORD_TOKEN": TOKEN})
    assert "\n" not in str(caught.value)
