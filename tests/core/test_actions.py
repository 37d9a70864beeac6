import pytest
from hypothesis import given
from hypothesis import strategies as st

from herald.core.actions import (
    MAX_PAGE,
    Noop,
    ReadPost,
    ShowLatest,
    ShowSearch,
    ShowTag,
    decode,
    encode,
)
from herald.limits import PAYLOAD_BYTES

keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz234567", min_size=10, max_size=10)
pages = st.integers(min_value=1, max_value=MAX_PAGE)
actions = st.one_of(
    st.builds(ShowLatest, pages),
    st.builds(ShowTag, keys, pages),
    st.builds(ShowSearch, keys, pages),
    st.builds(ReadPost, st.integers(min_value=1, max_value=36**8 - 1)),
    st.just(Noop()),
)


@given(actions)
def test_every_action_round_trips_within_the_payload_limit(action: object) -> None:
    payload = encode(action)  # type: ignore[arg-type]
    assert len(payload.encode()) <= PAYLOAD_BYTES
    assert decode(payload) == action


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "l:0",
        "l:-1",
        "l:01",
        "l:9999999",
        "l:1 ",
        "r:",
        "r:0",
        "r:ZZ",
        "r:123456789",
        "t:short:1",
        "s:abcdefghij:0",
        "x:1",
        "n:1",
        "l:1\x00",
        "ｌ:1",
        "r:" + "a" * 70,
    ],
)
def test_forged_payloads_are_refused(forged: str) -> None:
    assert decode(forged) is None


@given(st.text(max_size=80))
def test_decode_never_raises(text: str) -> None:
    result = decode(text)
    if result is not None:
        assert encode(result) == text
