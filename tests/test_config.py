from pathlib import Path

import pytest

from herald.adapters.telegram_adapter import TelegramSettings
from herald.config import ConfigError, load_config
from herald.content.sites import SiteOptions


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "herald.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={})
    assert config.content.dir == Path("content")
    assert config.bot.page_size == 10
    assert all(settings.token is None for settings in config.platforms.values())


def test_paths_in_the_file_are_relative_to_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[content]\ndir = "posts"\n[store]\npath = "data/h.db"\n')
    config = load_config(path, environ={})
    assert config.content.dir == tmp_path / "posts"
    assert config.store.path == tmp_path / "data" / "h.db"


def test_command_line_overrides_win(tmp_path: Path) -> None:
    path = write(tmp_path, '[content]\ndir = "posts"\n')
    config = load_config(path, environ={}, content_dir=Path("elsewhere"), db_path=Path("x.db"))
    assert config.content.dir == Path("elsewhere")
    assert config.store.path == Path("x.db")


def test_tokens_come_from_the_environment_and_never_show(tmp_path: Path) -> None:
    secret = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
    config = load_config(write(tmp_path, ""), environ={"HERALD_TELEGRAM_TOKEN": secret})
    token = config.platforms["telegram"].token
    assert token is not None and token.get_secret_value() == secret
    assert secret not in repr(config) and secret not in str(config)


def test_a_token_in_the_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[telegram\] token"):
        load_config(write(tmp_path, '[telegram]\ntoken = "123:abc"\n'), environ={})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[bot]\npage_size = 0\n", r"herald.toml: \[bot\] page_size: Input should be greater"),
        ('[bot]\npage_size = "many"\n', r"\[bot\] page_size: Input should be a valid integer"),
        ("[bot]\ncolour = 1\n", r"\[bot\] colour: unknown key"),
        ("[unknown]\n", r"unknown: unknown key"),
        ('[bot]\ndefault_language = "fr"\n', r"\[bot\] default_language: Input should be"),
        ("[bot\n", r"herald.toml: not valid TOML"),
        # Strict types (issue 14, case 12): TOML has real numbers and booleans.
        ('[bot]\npage_size = "5"\n', r"\[bot\] page_size: Input should be a valid integer"),
        ("[bot]\npage_size = true\n", r"\[bot\] page_size: Input should be a valid integer"),
        ("[content]\nexcerpt_chars = 350.0\n", r"\[content\] excerpt_chars: .* valid integer"),
        ("[push]\nnotify_on_update = 1\n", r"\[push\] notify_on_update: .* valid boolean"),
        ("[content]\ndir = 5\n", r"\[content\] dir: Input is not a valid path"),
        ('[bot]\ntimezone = "Asia"\n', r"\[bot\] timezone: unknown time zone 'Asia'"),
        ("[push]\nretry_base_seconds = 0\n", r"\[push\] retry_base_seconds: .* greater than 0"),
        ("[push]\nmax_attempts = 0\n", r"\[push\] max_attempts: .* greater than or equal"),
        ('[telegram]\nwebhook_url = "https://x.example/h"\n', r"webhook_url: is only used with"),
        (
            '[telegram]\nmode = "webhook"\nwebhook_url = "http://x.example/h"\n',
            r"\[telegram\] webhook_url: should be an absolute https URL",
        ),
        ("[telegram]\npoll_timeout = -1\n", r"\[telegram\] poll_timeout: Input should be"),
        ('[telegram]\nwebhook_port = "8443"\n', r"\[telegram\] webhook_port: .* valid integer"),
        ('[discord]\ngateway_url = "https://g.example"\n', r"gateway_url: should be an absolute"),
        ("[discord]\nguild_id = 0\n", r"\[discord\] guild_id: Input should be greater than 0"),
        ('[content]\nsite = "wordpress"\n', r"\[content\] site: Input should be 'auto', 'jekyll'"),
        ('[content]\nencoding = "klingon"\n', r"\[content\] encoding: unknown encoding 'klingon'"),
        ('[content]\ntimezone = "Asia"\n', r"\[content\] timezone: unknown time zone 'Asia'"),
    ],
)
def test_bad_values_are_one_line_naming_the_key(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected) as caught:
        load_config(write(tmp_path, text), environ={})
    assert "\n" not in str(caught.value)


def test_numbers_paths_and_a_bom_still_load(tmp_path: Path) -> None:
    path = tmp_path / "herald.toml"
    text = '[content]\ndir = "posts"\n[push]\nretry_base_seconds = 3\n[bot]\ntimezone = "UTC"\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    config = load_config(path, environ={})
    assert config.content.dir == tmp_path / "posts" and config.push.retry_base_seconds == 3.0
    assert config.bot.timezone == "UTC"


def test_webhook_mode_with_its_url_loads(tmp_path: Path) -> None:
    text = '[telegram]\nmode = "webhook"\nwebhook_url = "https://bot.example.com/hook"\n'
    settings = load_config(write(tmp_path, text), environ={}).platforms["telegram"]
    assert isinstance(settings, TelegramSettings) and settings.mode == "webhook"


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml", environ={})


def test_the_example_config_is_valid_and_shows_the_defaults() -> None:
    from tests.conftest import REPO

    config = load_config(REPO / "config.example.toml", environ={})
    assert config.bot.page_size == 10 and config.platforms["telegram"] == TelegramSettings()
    assert config.content.dir == REPO / "content"
    assert config.content.site_options() == SiteOptions()
