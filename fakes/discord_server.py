"""A fake Discord (REST under /api/v10 and a WebSocket gateway) on 127.0.0.1.

The real discord.py client runs against it unchanged, pointed here with Herald's
`[discord] api_base` / `gateway_url`.  Tests act as users (`slash`, `press`, `autocomplete`)
and read what the bot answered; the server enforces Discord's limits with Discord's error
bodies, the single response per interaction, and the 3-second acknowledgement window.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from fakes.discord_rules import validate_message

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake.herald-test-token-0123456789"
APP_ID = 900000000000000001
BOT_ID = 900000000000000001
GUILD_ID = 900000000000000100
CHANNEL_ID = 900000000000000200
USER_ID = 900000000000000300
MANAGE_CHANNELS = 1 << 4
EVERYONE = 1 << 10 | 1 << 11 | 1 << 16 | 1 << 31  # view, send, read history, use app commands
BOT_USER = {
    "id": str(BOT_ID),
    "username": "herald",
    "discriminator": "0",
    "global_name": "Herald",
    "avatar": None,
    "bot": True,
}


class ApiError(Exception):
    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(body.get("message"))
        self.status, self.body, self.headers = status, body, headers or {}


@dataclass
class Interaction:
    id: int
    token: str
    type: int
    payload: dict[str, Any]
    created: float
    response_type: int | None = None
    response: dict[str, Any] | None = None
    original_id: int | None = None
    followups: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Fault:
    status: int
    retry_after: float = 1.0


def channel_of(guild_id: int) -> int:
    """Each guild's one text channel (`CHANNEL_ID` in `GUILD_ID`)."""
    return guild_id + (CHANNEL_ID - GUILD_ID)


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard whose connection carries a guild's events, as Discord assigns them."""
    return (guild_id >> 22) % shard_count


class FakeDiscord:
    """`shards`: what `/gateway/bot` recommends; a client that identifies with another
    count is refused (4010), as Discord refuses one.  `guild_ids`: the guilds the bot is
    in; each connection is told only of those its shard owns, and gets only their events
    (direct messages go to shard 0)."""

    def __init__(
        self,
        *,
        interaction_window: float = 3.0,
        shards: int = 1,
        guild_ids: tuple[int, ...] = (GUILD_ID,),
    ) -> None:
        self.interaction_window = interaction_window
        self.shards = shards
        self.guild_ids = guild_ids
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.channels: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        self.interactions: dict[int, Interaction] = {}
        self.forbidden: set[int] = set()
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.requests: list[tuple[str, str]] = []
        self.sends_per_channel: dict[int, list[float]] = defaultdict(list)
        self.identified = 0
        self._ids = itertools.count(int(time.time() * 1000) << 22)
        self._seq = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._shard: dict[web.WebSocketResponse, tuple[int, int]] = {}
        """Each identified connection's (shard id, shard count)."""
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -----------------------------------------------------------------------

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application(client_max_size=30 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        for guild_id in self.guild_ids:
            self.channels[channel_of(guild_id)] = {}
        return self

    async def __aexit__(self, *exc: object) -> None:
        for socket in list(self._sockets):
            await socket.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def _id(self) -> int:
        return next(self._ids)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, condition: Callable[[], bool], seconds: float = 10.0) -> None:
        async with asyncio.timeout(seconds), self._changed:
            await self._changed.wait_for(condition)

    # -- gateway -------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 41250}})
        async for message in socket:
            if message.type is not WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            if data["op"] == 2:
                if data["d"]["token"] != TOKEN:
                    await socket.close(code=4004, message=b"Authentication failed.")
                    break
                shard_id, shard_count = data["d"].get("shard", (0, 1))
                if shard_count != self.shards or not 0 <= shard_id < shard_count:
                    await socket.close(code=4010, message=b"Invalid shard.")
                    break
                self._shard[socket] = (shard_id, shard_count)
                await self._ready(socket, sharded="shard" in data["d"])
            elif data["op"] == 1:
                await socket.send_json({"op": 11})
        self._sockets.remove(socket)
        self._shard.pop(socket, None)
        return socket

    def _owns(self, socket: web.WebSocketResponse, guild_id: int | None) -> bool:
        shard_id, shard_count = self._shard.get(socket, (0, 1))
        return shard_id == (0 if guild_id is None else shard_of(guild_id, shard_count))

    def shard_connections(self) -> list[tuple[int, int]]:
        """(shard id, shard count) of every identified connection."""
        return sorted(self._shard.values())

    async def _ready(self, socket: web.WebSocketResponse, *, sharded: bool) -> None:
        owned = [guild for guild in self.guild_ids if self._owns(socket, guild)]
        ready: dict[str, Any] = {
            "v": 10,
            "user": BOT_USER,
            "guilds": [{"id": str(guild), "unavailable": True} for guild in owned],
            "session_id": f"session{self._id()}",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0},
        }
        if sharded:
            ready["shard"] = list(self._shard[socket])
        await socket.send_json({"op": 0, "t": "READY", "s": next(self._seq), "d": ready})
        for guild_id in owned:
            await self._guild_create(socket, guild_id)
        self.identified += 1
        await self._notify()

    async def _guild_create(self, socket: web.WebSocketResponse, guild_id: int) -> None:
        guild = {
            "id": str(guild_id),
            "name": "Herald Test",
            "icon": None,
            "owner_id": str(USER_ID),
            "unavailable": False,
            "member_count": 2,
            "large": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "threads": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "voice_states": [],
            "presences": [],
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "roles": [
                {
                    "id": str(guild_id),
                    "name": "@everyone",
                    "permissions": str(EVERYONE),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [
                {
                    "id": str(channel_of(guild_id)),
                    "type": 0,
                    "name": "general",
                    "position": 0,
                    "permission_overwrites": [],
                    "guild_id": str(guild_id),
                }
            ],
            "members": [
                {
                    "user": BOT_USER,
                    "roles": [],
                    "joined_at": _now(),
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                }
            ],
        }
        await socket.send_json({"op": 0, "t": "GUILD_CREATE", "s": next(self._seq), "d": guild})

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """An event, on the connection of the shard that owns its guild."""
        guild = int(data["guild_id"]) if data.get("guild_id") else None
        for socket in list(self._sockets):
            if socket in self._shard and self._owns(socket, guild):
                await socket.send_json({"op": 0, "t": event, "s": next(self._seq), "d": data})

    # -- acting as users -----------------------------------------------------------------

    def _member(self, user_id: int, permissions: int) -> dict[str, Any]:
        user = {
            "id": str(user_id),
            "username": f"user{user_id}",
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
        }
        return {
            "user": user,
            "roles": [],
            "joined_at": _now(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(permissions),
        }

    async def _interact(
        self,
        kind: int,
        data: dict[str, Any] | None,
        *,
        locale: str,
        permissions: int,
        user_id: int,
        message: dict[str, Any] | None = None,
        channel_id: int = CHANNEL_ID,
        guild_id: int = GUILD_ID,
    ) -> Interaction:
        interaction_id = self._id()
        token = f"itoken{interaction_id}"
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(APP_ID),
            "type": kind,
            "token": token,
            "version": 1,
            "guild_id": str(guild_id),
            "channel_id": str(channel_id),
            "channel": {
                "id": str(channel_id),
                "type": 0,
                "guild_id": str(guild_id),
                "name": "general",
                "position": 0,
                "permission_overwrites": [],
            },
            "member": self._member(user_id, permissions),
            "app_permissions": str(EVERYONE),
            "locale": locale,
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild_id)},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if data is not None:
            payload["data"] = data
        if message is not None:
            payload["message"] = message
        record = Interaction(interaction_id, token, kind, payload, time.monotonic())
        self.interactions[interaction_id] = record
        await self.dispatch("INTERACTION_CREATE", payload)
        return record

    def command(self, name: str) -> dict[str, Any]:
        for commands in self.commands.values():
            for command in commands:
                if command["name"] == name:
                    return command
        raise KeyError(f"/{name} was never synced")

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        locale: str = "en-US",
        permissions: int = EVERYONE,
        user_id: int = USER_ID,
        guild_id: int = GUILD_ID,
    ) -> Interaction:
        command = self.command(name)
        types = {o["name"]: o["type"] for o in command.get("options", [])}
        data = {
            "id": command["id"],
            "name": name,
            "type": 1,
            "guild_id": str(guild_id),
            "options": [
                {"name": k, "type": types[k], "value": v} for k, v in (options or {}).items()
            ],
        }
        return await self._interact(
            2,
            data,
            locale=locale,
            permissions=permissions,
            user_id=user_id,
            channel_id=channel_of(guild_id),
            guild_id=guild_id,
        )

    async def autocomplete(
        self, name: str, option: str, value: str, *, locale: str = "en-US"
    ) -> Interaction:
        command = self.command(name)
        types = {o["name"]: o["type"] for o in command.get("options", [])}
        data = {
            "id": command["id"],
            "name": name,
            "type": 1,
            "guild_id": str(GUILD_ID),
            "options": [{"name": option, "type": types[option], "value": value, "focused": True}],
        }
        return await self._interact(4, data, locale=locale, permissions=EVERYONE, user_id=USER_ID)

    async def press(
        self,
        message: dict[str, Any],
        custom_id: str,
        *,
        locale: str = "en-US",
        user_id: int = USER_ID,
        permissions: int = EVERYONE,
    ) -> Interaction:
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interact(
            3,
            data,
            locale=locale,
            permissions=permissions,
            user_id=user_id,
            message=message,
            channel_id=int(message["channel_id"]),
        )

    async def choose(
        self,
        message: dict[str, Any],
        custom_id: str,
        value: str,
        *,
        locale: str = "en-US",
        user_id: int = USER_ID,
    ) -> Interaction:
        """A user picks `value` in the message's select menu `custom_id`; as Discord,
        only one of the menu's own options can be picked."""
        menus = [
            child
            for row in message.get("components") or []
            for child in row.get("components") or []
            if child.get("type") == 3 and child.get("custom_id") == custom_id
        ]
        assert menus, f"no select menu {custom_id!r} on that message"
        assert value in {option["value"] for option in menus[0].get("options") or []}, value
        data = {"custom_id": custom_id, "component_type": 3, "values": [value]}
        return await self._interact(
            3,
            data,
            locale=locale,
            permissions=EVERYONE,
            user_id=user_id,
            message=message,
            channel_id=int(message["channel_id"]),
        )

    async def answered(
        self, interaction: Interaction, *, followups: int = 0, seconds: float = 10.0
    ) -> Interaction:
        await self.wait_for(
            lambda: (
                interaction.response_type is not None and len(interaction.followups) >= followups
            ),
            seconds,
        )
        return interaction

    def fail_next(
        self, route: str, *, status: int = 429, retry_after: float = 0.2, times: int = 1
    ) -> None:
        """`route` is "METHOD /path" with ids, e.g. f"POST /channels/{CHANNEL_ID}/messages"."""
        for _ in range(times):
            self.faults[route].append(Fault(status, retry_after))

    def messages(self, channel_id: int = CHANNEL_ID) -> list[dict[str, Any]]:
        return list(self.channels[channel_id].values())

    # -- REST ----------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        route = f"{request.method} {path}"
        self.requests.append((request.method, path))
        needs_auth = not path.startswith(("/interactions/", "/webhooks/"))
        try:
            if needs_auth and request.headers.get("Authorization") != f"Bot {TOKEN}":
                raise ApiError(401, {"message": "401: Unauthorized", "code": 0})
            if self.faults[route]:
                fault = self.faults[route].popleft()
                if fault.status == 429:
                    raise ApiError(
                        429,
                        {
                            "message": "You are being rate limited.",
                            "retry_after": fault.retry_after,
                            "global": False,
                        },
                        {"Retry-After": str(fault.retry_after), "X-RateLimit-Scope": "user"},
                    )
                raise ApiError(fault.status, {"message": "Internal Server Error", "code": 0})
            payload, files = await _body(request)
            result = await self._route(request.method, path, payload, files, request.query)
        except ApiError as error:
            return _json(error.body, status=error.status, headers=error.headers)
        finally:
            await self._notify()
        if result is None:
            return web.Response(status=204)
        return _json(result)

    async def _route(
        self, method: str, path: str, payload: dict[str, Any], files: int, query: Any
    ) -> Any:
        parts = path.strip("/").split("/")
        if path == "/users/@me":
            return BOT_USER
        if path == "/oauth2/applications/@me":
            return {
                "id": str(APP_ID),
                "name": "Herald",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": BOT_USER,
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
                "interactions_endpoint_url": None,
            }
        if path in ("/gateway", "/gateway/bot"):
            return {
                "url": self.gateway_url,
                "shards": self.shards,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        if parts[0] == "applications" and parts[-1] == "commands":
            guild = int(parts[3]) if "guilds" in parts else None
            if method == "PUT":
                self.commands[guild] = [
                    {
                        **c,
                        "id": str(self._id()),
                        "application_id": str(APP_ID),
                        "version": "1",
                        "guild_id": str(guild) if guild else None,
                    }
                    for c in payload
                ]  # type: ignore[union-attr]
            return self.commands.get(guild, [])
        if parts[0] == "interactions":
            return self._callback(int(parts[1]), parts[2], payload, files)
        if parts[0] == "webhooks":
            return self._webhook(method, parts, payload, files)
        if parts[0] == "channels":
            return self._channel(method, int(parts[1]), parts[2:], payload, files)
        raise ApiError(404, {"message": "404: Not Found", "code": 0})

    def _store(
        self, channel_id: int, payload: dict[str, Any], files: int, *, flags: int = 0, kind: int = 0
    ) -> dict[str, Any]:
        problem = validate_message(payload, attachments=files)
        if problem:
            raise ApiError(400, problem)
        message_id = self._id()
        message = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "guild_id": str(GUILD_ID),
            "author": BOT_USER,
            "content": payload.get("content") or "",
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "pinned": False,
            "type": kind,
            "flags": flags | int(payload.get("flags") or 0),
            "embeds": payload.get("embeds") or [],
            "components": payload.get("components") or [],
            "attachments": [
                {
                    "id": str(self._id()),
                    "filename": f"file{i}",
                    "size": 1,
                    "url": "http://127.0.0.1/a",
                    "proxy_url": "http://127.0.0.1/a",
                }
                for i in range(files)
            ],
        }
        self.channels[channel_id][message_id] = message
        return message

    def _edit(self, message: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
        merged = {
            key: payload.get(key, message.get(key)) for key in ("content", "embeds", "components")
        }
        problem = validate_message(merged, attachments=len(message["attachments"]))
        if problem:
            raise ApiError(400, problem)
        message.update({k: v for k, v in merged.items() if v is not None})
        message["edited_timestamp"] = _now()
        return message

    def _interaction(self, interaction_id: int, token: str) -> Interaction:
        record = self.interactions.get(interaction_id)
        if record is None or record.token != token:
            raise ApiError(404, {"message": "Unknown interaction", "code": 10062})
        return record

    def _callback(
        self, interaction_id: int, token: str, payload: dict[str, Any], files: int
    ) -> Any:
        record = self._interaction(interaction_id, token)
        if record.response_type is not None:
            raise ApiError(
                400, {"message": "Interaction has already been acknowledged.", "code": 40060}
            )
        if time.monotonic() - record.created > self.interaction_window:
            raise ApiError(404, {"message": "Unknown interaction", "code": 10062})
        kind = int(payload["type"])
        data = payload.get("data") or {}
        channel_id = int(record.payload["channel_id"])
        body: dict[str, Any] = {
            "interaction": {
                "id": str(record.id),
                "type": record.type,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(int(data.get("flags") or 0) & 64),
            }
        }
        if kind == 8 and len(data.get("choices") or []) > 25:
            raise ApiError(
                400,
                {
                    "message": "Invalid Form Body",
                    "code": 50035,
                    "errors": {
                        "data": {
                            "choices": {
                                "_errors": [
                                    {
                                        "code": "BASE_TYPE_MAX_LENGTH",
                                        "message": "Must be 25 or fewer in length.",
                                    }
                                ]
                            }
                        }
                    },
                },
            )
        if kind == 4:
            message = self._store(channel_id, data, files, kind=20)
            record.original_id = int(message["id"])
            body["resource"] = {"type": 4, "message": message}
        elif kind == 5:
            message = self._store(
                channel_id,
                {"content": "Herald is thinking..."},
                0,
                flags=int(data.get("flags") or 0) | 128,
                kind=20,
            )
            record.original_id = int(message["id"])
            body["resource"] = {"type": 5, "message": message}
        elif kind == 7:
            target = record.payload.get("message") or {}
            stored = self.channels[channel_id].get(int(target.get("id", 0)))
            if stored is None:
                raise ApiError(404, {"message": "Unknown Message", "code": 10008})
            body["resource"] = {"type": 7, "message": self._edit(stored, data)}
        record.response_type, record.response = kind, data
        return body

    def _webhook(self, method: str, parts: list[str], payload: dict[str, Any], files: int) -> Any:
        token = parts[2]
        record = next((r for r in self.interactions.values() if r.token == token), None)
        if record is None or record.response_type is None:
            raise ApiError(404, {"message": "Unknown Webhook", "code": 10015})
        channel_id = int(record.payload["channel_id"])
        if len(parts) == 3 and method == "POST":
            message = self._store(channel_id, payload, files, kind=20)
            record.followups.append(message)
            return message
        target = parts[4]
        message_id = record.original_id if target == "@original" else int(target)
        stored = self.channels[channel_id].get(message_id or 0)
        if stored is None:
            raise ApiError(404, {"message": "Unknown Message", "code": 10008})
        if method == "PATCH":
            return self._edit(stored, payload)
        if method == "DELETE":
            del self.channels[channel_id][message_id]  # type: ignore[arg-type]
            return None
        return stored

    def _channel(
        self, method: str, channel_id: int, rest: list[str], payload: dict[str, Any], files: int
    ) -> Any:
        if channel_id in self.forbidden:
            raise ApiError(403, {"message": "Missing Access", "code": 50001})
        if channel_id not in self.channels:
            raise ApiError(404, {"message": "Unknown Channel", "code": 10003})
        if not rest:
            return {
                "id": str(channel_id),
                "type": 0,
                "guild_id": str(GUILD_ID),
                "name": "general",
                "position": 0,
                "permission_overwrites": [],
            }
        if rest == ["messages"] and method == "POST":
            self.sends_per_channel[channel_id].append(time.monotonic())
            return self._store(channel_id, payload, files)
        message = self.channels[channel_id].get(int(rest[1]))
        if message is None:
            raise ApiError(404, {"message": "Unknown Message", "code": 10008})
        return self._edit(message, payload) if method == "PATCH" else message


async def _body(request: web.Request) -> tuple[dict[str, Any], int]:
    if request.content_type.startswith("multipart/"):
        payload: dict[str, Any] = {}
        files = 0
        reader = await request.multipart()
        async for part in reader:
            if part.name == "payload_json":  # type: ignore[union-attr]
                payload = json.loads(await part.text())  # type: ignore[union-attr]
            else:
                await part.read()  # type: ignore[union-attr]
                files += 1
        return payload, files
    if request.can_read_body:
        return await request.json(), 0
    return {}, 0


def _json(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """Exactly `application/json`, as Discord sends it: discord.py compares the header verbatim."""
    return web.Response(
        body=json.dumps(body).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def _now() -> str:
    return datetime.now(UTC).isoformat()
