"""Choosing PostgreSQL: `[store] url` or `HERALD_DATABASE_URL`, checked once, kept secret;
the real command line against the test cluster (several replicas per database:
`test_replicas.py`).

A mistake (not a PostgreSQL URL, a server out of reach) is one line and exit status 2,
and the database password appears nowhere in what Herald prints.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from herald.config import ConfigError, load_config
from tests.conftest import WritePost
from tests.test_one_line_failures import assert_one_line, herald

SECRET_URL = "postgresql://herald:hunter2@127.0.0.1:1/herald"
"""Nothing listens on port 1: a server out of reach, with a password to keep out of sight."""


def _config_file(tmp_path: Path, content_dir: Path, store: str) -> Path:
    path = tmp_path / "herald.toml"
    path.write_text(f'[content]\ndir = "{content_dir}"\n[store]\n{store}\n', encoding="utf-8")
    return path


def test_a_url_selects_postgres_and_the_environment_wins(tmp_path: Path) -> None:
    path = _config_file(tmp_path, tmp_path, f'url = "{SECRET_URL}"')
    config = load_config(path, environ={})
    assert config.store.location == SECRET_URL
    assert "hunter2" not in repr(config) and "hunter2" in config.secrets()
    other = "postgresql://other@db.internal/herald"
    assert load_config(path, environ={"HERALD_DATABASE_URL": other}).store.location == other
    assert load_config(path, environ={}, db_path=tmp_path / "x.db").store.location == (
        tmp_path / "x.db"
    )  # --db FILE names a SQLite file, whatever else is configured
    assert load_config(None, environ={}).store.location == Path("herald.db")  # the default


def test_a_url_that_is_not_postgres_is_one_line_without_its_value(tmp_path: Path) -> None:
    path = _config_file(tmp_path, tmp_path, 'url = "mysql://root:hunter2@db/herald"')
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert str(caught.value) == (
        f'{path}: [store] url: must be a PostgreSQL URL ("postgresql://user@host/database")'
    )


def test_a_server_out_of_reach_is_one_line_without_the_password(
    tmp_path: Path, content_dir: Path, write_post: WritePost
) -> None:
    write_post("a.md", "x", title="A", date="2025-01-01")
    result = herald("sync", "--content", str(content_dir), env={"HERALD_DATABASE_URL": SECRET_URL})
    assert_one_line(result)
    assert "cannot reach the database" in result.stderr
    assert "hunter2" not in result.stderr + result.stdout
    assert "postgresql://herald@127.0.0.1:1/herald" in result.stderr  # which one, redacted


def test_the_command_line_syncs_into_postgres(
    tmp_path: Path, content_dir: Path, write_post: WritePost, postgres_url: str
) -> None:
    write_post("a.md", "x", title="A", date="2025-01-01")
    config = _config_file(tmp_path, content_dir, f'url = "{postgres_url}"')
    first = herald("sync", "--config", str(config), cwd=tmp_path)
    assert first.returncode == 0 and first.stdout.startswith("added 1,"), first.stderr
    env = {"HERALD_DATABASE_URL": postgres_url}
    again = herald("sync", "--content", str(content_dir), env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "unchanged 1," in again.stdout  # the same store: nothing read again
    assert not (tmp_path / "herald.db").exists()  # no SQLite file made on the side
