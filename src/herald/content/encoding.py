"""Decode a post's bytes: a configured encoding if there is one, else UTF-8, detection
only when UTF-8 fails.

The order matters more than the detector.  Valid UTF-8 is taken as UTF-8 without asking
anyone (a detector can only add doubt there: short texts are ambiguous), a configured
`encoding` (Herald's, or Jekyll's own `encoding:` key) is applied strictly, and only a
file that is neither goes to charset-normalizer, restricted to the encodings old blogs
were really saved in.  A file that is UTF-8 but for a handful of bad bytes (a stray
cp1252 quote pasted in) stays UTF-8, with the bytes replaced: re-reading the whole file
in another encoding would garble every Chinese character to fix one quote.

The detector (charset-normalizer) is imported only when a file needs it: most sites
never do, and every parse worker would pay for the import otherwise.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

CANDIDATES = ("gb18030", "big5", "cp1252", "shift_jis", "euc_kr", "utf_16")
"""What charset-normalizer may answer: GB18030 covers GB2312 and GBK (decoding GBK bytes
the same), cp1252 covers Latin-1's printable range."""
_UPGRADE = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
}
MAX_CHAOS = 0.2
"""charset-normalizer's mess ratio above which its best guess is not trusted."""
SAMPLE_BYTES = 65_536
_SYMBOLS = re.compile(rb"(?<=[\x00-\x7f])[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+")
"""ASCII punctuation not right after a non-ASCII byte (so never a double-byte character's
second byte): Markdown's `$`, `>`, `*`, `{` make charset-normalizer's mess detector reject
the right encoding, so they are blanked out of the sample it reads."""
STRAY_BYTES = 8
"""Up to this many undecodable bytes (or one in a thousand, if more) keep a file UTF-8,
when it has at least eight times as many well-formed multi-byte characters."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    """`utf-8`, the configured encoding, or the one detected."""
    warning: str | None = None
    """Said in `herald check` and the log when the encoding was guessed or bytes replaced."""


def decode(raw: bytes, *, configured: str | None = None) -> Decoded | str:
    """The text of a post file, or why it has none (a reason for `herald check`).

    `configured`: a codec name Python knows (`[content] encoding`, Jekyll's `encoding:`),
    applied strictly; UTF-8 and None mean "UTF-8, detected when it is not"."""
    codec = codecs.lookup(configured).name if configured else "utf-8"
    if codec not in ("utf-8", "utf-8-sig"):
        try:
            return Decoded(raw.decode(codec), codec)
        except UnicodeDecodeError as exc:
            return f"not valid {codec} (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Before the NUL-byte test: UTF-16 is full of them.  Markdown always holds some
        # ASCII (spaces, newlines), so UTF-16 text without any is bytes after a stray BOM.
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            text = ""
        if " " in text or "\n" in text:
            return Decoded(text, "utf-16")
        return "starts with a UTF-16 byte order mark but is not UTF-16 text"
    try:
        return Decoded(raw.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    stray = _mostly_utf8(raw)
    if stray is not None:
        return stray
    from charset_normalizer import from_bytes

    guess = from_bytes(_sample(raw), cp_isolation=list(CANDIDATES)).best()
    if guess is None or guess.chaos > MAX_CHAOS:
        return (
            f"not valid UTF-8 (byte 0x{raw[first_bad]:02x} at offset {first_bad}), and its "
            "encoding could not be recognised: set [content] encoding"
        )
    name = _UPGRADE.get(guess.encoding, guess.encoding)
    try:
        text = raw.decode(name)
    except UnicodeDecodeError:
        return f"not valid UTF-8, and not valid {name} either (byte at offset {first_bad})"
    return Decoded(text, name, f"not UTF-8: read as {name} (detected)")


def _mostly_utf8(raw: bytes) -> Decoded | None:
    """UTF-8 with a few bad bytes, among many well-formed multi-byte characters."""
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad > max(STRAY_BYTES, len(raw) // 1000):
        return None
    wide = sum(1 for char in text if char > "\x7f") - bad
    if wide < 8 * bad:
        return None  # nothing says UTF-8: an ASCII text with one é is cp1252
    return Decoded(text, "utf-8", f"{bad} byte(s) not valid UTF-8 were replaced by U+FFFD")


def _sample(raw: bytes) -> bytes:
    """What the detector reads: the start of the file, Markdown punctuation blanked."""
    return _SYMBOLS.sub(b" ", raw[:SAMPLE_BYTES])
