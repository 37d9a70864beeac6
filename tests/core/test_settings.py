"""The settings view and its codec: every toggle round-trips through a payload, sets the
value it shows, and `/settings <option> <value>` reads the same changes in words."""

from __future__ import annotations

import pytest

from herald.core.actions import SetOption, decode, encode
from herald.core.records import SEND_MODES, PushOptions, Subscription
from herald.core.settings import changed, parse_change, settings_view, toggles, with_settings
from herald.core.views import Notice

SHOWN = {"card": "card", "article": "full article", "title": "title only"}
EVERY_OPTIONS = [
    PushOptions(silent=silent, mode=mode, link_preview=preview)
    for silent in (False, True)
    for mode in SEND_MODES
    for preview in (False, True)
]


@pytest.mark.parametrize("options", EVERY_OPTIONS)
def test_each_toggle_round_trips_and_changes_what_it_says(options: PushOptions) -> None:
    rows = toggles(options, "en")
    assert [len(row) for row in rows] == [1, 3, 1]
    for row in rows:
        for button in row:
            assert isinstance(button.action, SetOption)
            assert decode(encode(button.action)) == button.action
            assert len(encode(button.action)) <= 64
    [silent], modes, [preview] = rows
    assert isinstance(silent.action, SetOption) and isinstance(preview.action, SetOption)
    assert changed(options, silent.action).silent is not options.silent
    assert changed(options, preview.action).link_preview is not options.link_preview
    ticked = [button.label for button in modes if button.label.startswith("✓")]
    assert ticked == [f"✓ {SHOWN[options.mode]}"]


@pytest.mark.parametrize(
    ("words", "change"),
    [
        ("silent on", SetOption("silent", True)),
        ("SILENT off", SetOption("silent", False)),
        ("mode full", SetOption("mode", "article")),
        ("mode title", SetOption("mode", "title")),
        ("preview yes", SetOption("link_preview", True)),
        ("preview 0", SetOption("link_preview", False)),
        ("silent", None),
        ("mode poem", None),
        ("volume up", None),
        ("silent on now", None),
    ],
)
def test_the_command_reads_changes_in_words(words: str, change: SetOption | None) -> None:
    assert parse_change(words) == change


def test_forged_option_payloads_are_refused() -> None:
    for payload in ("o:", "o:s", "o:s2", "o:mx", "o:p", "o:s1:x", "o:S1"):
        assert decode(payload) is None


def test_the_view_says_what_is_subscribed_and_where() -> None:
    topic = Subscription(1, "telegram", "-100", ("llm",), None, True, topic="7")
    view = settings_view(topic, "en")
    assert view.text.startswith("This topic is subscribed to new posts tagged llm.")
    assert settings_view(None, "en").rows == ()
    gone = Subscription(2, "telegram", "1", (), None, False)
    assert settings_view(gone, "en").text.startswith("Nothing is subscribed here yet")
    refused = Notice("Too many tags", is_error=True)
    assert with_settings(refused, topic, "en") is refused  # a refusal stays a refusal
