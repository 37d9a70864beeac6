"""`compose.yaml`: two Herald replicas on one PostgreSQL and one content folder.

Docker may not be on the test machine, so the file is read as Compose reads it (YAML,
anchors and merge keys resolved) and checked for what makes them replicas: the same
database URL, naming the PostgreSQL service they wait for; the same content mounted where
their settings look for it; settings that take Telegram updates by webhook (two pollers
of one token get 409); host ports that do not collide.
"""

from __future__ import annotations

from typing import Any

import yaml

from herald.adapters.telegram_adapter import TelegramSettings
from herald.config import load_config
from tests.conftest import REPO

TOKEN_ENV = {"HERALD_TELEGRAM_TOKEN": "1:x", "HERALD_DATABASE_URL": "postgresql://h@db/h"}


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def _heralds(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose["services"].items()
        if service.get("image", "").startswith("herald")
    }


def test_two_replicas_share_one_database_and_one_content_volume() -> None:
    compose = _compose()
    heralds = _heralds(compose)
    assert len(heralds) == 2
    urls = {service["environment"]["HERALD_DATABASE_URL"] for service in heralds.values()}
    [url] = urls
    assert url.startswith("postgresql://") and "@postgres:" in url  # the service below
    assert "postgres" in compose["services"]
    for service in heralds.values():
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
    mounts = [set(service["volumes"]) for service in heralds.values()]
    assert mounts[0] == mounts[1]
    [content] = [m for m in mounts[0] if m.split(":")[1] == "/srv/herald/content"]
    assert content.endswith(":ro")  # a replica never writes the posts
    host_ports = [p.split(":")[0] for s in heralds.values() for p in s["ports"]]
    assert len(host_ports) == len(set(host_ports))


def test_the_replicas_settings_read_that_volume_and_take_updates_by_webhook() -> None:
    [service, *_] = _heralds(_compose()).values()
    inside = service["environment"]["HERALD_CONFIG"]
    [source] = [
        m.split(":")[0] for m in service["volumes"] if m.split(":")[1] == inside
    ]  # the settings file is mounted where HERALD_CONFIG points
    config = load_config(REPO / source, environ=TOKEN_ENV)
    assert str(config.content.dir) == "/srv/herald/content"
    assert config.store.location == TOKEN_ENV["HERALD_DATABASE_URL"]
    telegram = config.platforms["telegram"]
    assert isinstance(telegram, TelegramSettings)
    assert telegram.mode == "webhook" and telegram.webhook_listen == "0.0.0.0"
    published = {p.split(":")[1] for p in service["ports"]}
    assert {str(telegram.webhook_port), str(config.web.port)} <= published
