"""LaTeX → Unicode in one table-driven pass: exactly `unicodeit.replace`, at the input's cost.

unicodeit runs each of its ~4,300 replacements over the string in turn (longest key
first), then ~110 sub/superscript replacements, whatever the input holds.  `replace`
produces the same strings from the same tables (`unicodeit.data`) in one left-to-right
pass, so `herald.render.text.math_unicode` can afford to convert every inline formula of
every excerpt at sync time.

Why one pass gives the same answer as unicodeit's passes:

- replacements run longest key first, and every key but six starts with `\\`; a longer
  key can only overlap a shorter one that starts inside it if the longer key holds a
  `\\` (`\\mathbf{\\varepsilon}`), and then the inner one is a substring of it and
  shorter: taking the longest key at each position is what the passes do;
- values never start a new key (they are not `\\`), except the few that produce `\\`,
  `{`, `}`, `_` or `^`; those only matter to the later stages (group expansion,
  sub/superscripts), which run on the first stage's output as in unicodeit; the one value
  that *is* a backslash (`\\backslash`) is seen by unicodeit's later, shorter keys, so it
  is put back into the input for keys shorter than it;
- combining marks (`\\hat{x}`) are escaped before the replacements in unicodeit, so no
  key matches there but the `…{}` ones; the same is done here at the position;
- the `\\not\\X` rewrite, the `_{…}`/`^{…}` group expansion and the combining-mark
  resolution are unicodeit's own code, run only when their trigger is present.

`tests/render/test_latex_unicode.py` checks `replace` against `unicodeit.replace` key by
key, mark by mark and script by script.
"""

from __future__ import annotations

import re
from typing import Final

from unicodeit.data import COMBININGMARKS, REPLACEMENTS, SUBSUPERSCRIPTS

_VALUES: Final = dict(REPLACEMENTS)
_BY_PREFIX: Final[dict[str, tuple[tuple[int, frozenset[str]], ...]]] = {}
"""Keys by their first two characters: (length, keys of that length), longest first."""


_SINGLE: Final = {key: value for key, value in _VALUES.items() if len(key) == 1}
"""One-character keys (`-` → `−`), tried when no longer key starts at a position."""


def _index() -> None:
    groups: dict[str, dict[int, set[str]]] = {}
    for key in _VALUES:
        if len(key) > 1:
            groups.setdefault(key[:2], {}).setdefault(len(key), set()).add(key)
    for prefix, by_length in groups.items():
        _BY_PREFIX[prefix] = tuple(
            (length, frozenset(keys)) for length, keys in sorted(by_length.items(), reverse=True)
        )


_index()
_STARTS: Final = frozenset(prefix[0] for prefix in _BY_PREFIX) | frozenset(_SINGLE)
"""First characters of keys: `\\`, and `=`, `#`, `2`, `5`, `7`, `-` for six odd ones."""
_AFTER_NAME: Final = frozenset(
    key[match.end()]
    for key in _VALUES
    if (match := re.match(r"\\[A-Za-z]+", key)) is not None and match.end() < len(key)
)
"""What follows a command name inside a longer key (`{`, `[`, `"`, `<`…): only there can
a key go on past the name."""
_NEXT_START: Final = re.compile("[" + re.escape("".join(sorted(_STARTS))) + "]")
_MARKS: Final = tuple(mark for mark, _ in COMBININGMARKS)
_MARK_BY_NAME: Final = {mark[1:]: mark for mark in _MARKS}
_EMPTY_MARK_KEYS: Final = frozenset(key for key in _VALUES if key.endswith("{}"))
_SUBSUP: Final = dict(SUBSUPERSCRIPTS)
_NAME: Final = re.compile(r"[A-Za-z]+")
_NOT: Final = re.compile(r"\\not(\\[A-z]+)")
_SUB_GROUP: Final = re.compile(
    r"_\{[0-9\+-=\(\)<>\-aeoxjhklmnpstiruv\u03B2\u03B3\u03C1\u03C6\u03C7\u2212]+\}"
)
_SUB_CHAR: Final = re.compile(
    r"([0-9\+-=\(\)<>\-aeoxjhklmnpstiruv\u03B2\u03B3\u03C1\u03C6\u03C7\u2212])"
)
_SUP_GROUP: Final = re.compile(
    r"\^\{[0-9\+-=\(\)<>ABDEGHIJKLMNOPRTUWabcdefghijklmnoprstuvwxyz"
    r"\u03B2\u03B3\u03B4\u03C6\u03C7\u222B\u2212]+\}"
)
_SUP_CHAR: Final = re.compile(
    r"([0-9\+-=\(\)<>ABDEGHIJKLMNOPRTUWabcdefghijklmnoprstuvwxyz"
    r"\u03B2\u03B3\u03B4\u03C6\u03C7\u222B\u2212])"
)


def replace(tex: str) -> str:
    """`unicodeit.replace(tex)`, in one pass over `tex` (plus unicodeit's own code for
    `\\not`, `_{…}`/`^{…}` groups and combining marks, when they occur)."""
    if "\\not" in tex:
        tex = _NOT.sub(r"\\slash{\1}", tex)
    text = _replacements(tex)
    if "_{" in text:
        text = _groups(text, _SUB_GROUP, _SUB_CHAR, r"_\1")
    if "^{" in text:
        text = _groups(text, _SUP_GROUP, _SUP_CHAR, r"^\1")
    if "_" in text or "^" in text:
        text = _subsuperscripts(text)
    if "\\ " in text:
        text = _combine(text)
    return text


def _replacements(tex: str) -> str:
    """unicodeit's REPLACEMENTS loop (longest key first), as longest key per position;
    a combining mark before `{` is escaped (`\\ hat{`) as unicodeit escapes it."""
    out: list[str] = []
    position = 0
    size = len(tex)
    shorter = 0  # after `\\backslash`: only keys shorter than it may use its `\\` here
    while position < size:
        char = tex[position]
        if char not in _STARTS:
            found = _NEXT_START.search(tex, position)
            stop = size if found is None else found.start()
            out.append(tex[position:stop])  # a run no key starts in
            position = stop
            continue
        if char == "\\" and not shorter:
            name = _NAME.match(tex, position + 1)
            if name is not None and tex[name.end() : name.end() + 1] not in _AFTER_NAME:
                # No key goes on past this name: the name itself, if it is one, is the
                # longest key here (a shorter prefix, `\\l` of `\\lx`, is found below).
                value = _VALUES.get(tex[position : name.end()])
                if value is not None and value != "\\":
                    out.append(value)
                    position = name.end()
                    continue
            if name is not None and tex.startswith("{", name.end()):
                mark = _MARK_BY_NAME.get(name.group())
                if mark is not None:
                    empty = mark + "{}"
                    if empty in _EMPTY_MARK_KEYS and tex.startswith(empty, position):
                        out.append(_VALUES[empty])
                        position += len(empty)
                    else:
                        out.append("\\ " + mark[1:] + "{")
                        position = name.end() + 1
                    continue
        for length, keys in _BY_PREFIX.get(tex[position : position + 2], ()):
            if shorter and length >= shorter:
                continue
            candidate = tex[position : position + length]
            if candidate in keys:
                value = _VALUES[candidate]
                if value == "\\":  # unicodeit's later, shorter keys see this backslash
                    tex = tex[:position] + value + tex[position + length :]
                    size = len(tex)
                    shorter = length
                    break
                out.append(value)
                position += length
                shorter = 0
                break
        else:
            shorter = 0
            out.append(_SINGLE.get(char, char))
            position += 1
    return "".join(out)


def _groups(text: str, group: re.Pattern[str], char: re.Pattern[str], mark: str) -> str:
    """unicodeit's expansion of `_{01}` into `_0_1` (and `^{…}`), its own code."""
    offset = 0
    for found in group.finditer(text):
        newstring, count = char.subn(mark, found.group(0)[2:-1])
        text = text[: found.start() + offset] + newstring + text[found.end() + offset :]
        offset += count * 2 - (count + 3)
    return text


def _subsuperscripts(text: str) -> str:
    """unicodeit's SUBSUPERSCRIPTS loop; no key overlaps another, so one pass."""
    out: list[str] = []
    position = 0
    size = len(text)
    while position < size:
        char = text[position]
        if (char == "_" or char == "^") and position + 1 < size:
            value = _SUBSUP.get(text[position : position + 2])
            if value is not None:
                out.append(value)
                position += 2
                continue
        out.append(char)
        position += 1
    return "".join(out)


def _combine(f: str) -> str:
    """unicodeit's combining-mark resolution, its own code (marks in table order)."""
    for c in COMBININGMARKS:
        escaped_latex = f"\\ {c[0][1:]}{{"
        while escaped_latex in f:
            i = f.index(escaped_latex)
            if len(f) <= i + len(escaped_latex):
                f = f[:i] + c[0] + "{"
                continue
            combined_char = f[i + len(escaped_latex)]
            remainder = ""
            if len(f) >= i + len(escaped_latex) + 2:
                remainder = f[i + len(escaped_latex) + 2 :]
            f = f[:i] + combined_char + c[1] + remainder
    return f
