"""Jekyll's Liquid tags, resolved before Markdown parsing so they never reach a reader.

Real posts carry them (al-folio/distill blogs especially): `{% highlight %}` becomes a
fenced block, `{% include figure… path=… %}` an image, `{% twitter url %}` the link,
`{% raw %}…{% endraw %}` its literal content, anything else disappears.

What Liquid would mangle is protected: fenced code, inline code spans and math keep
`{{ … }}` and `{% … %}` verbatim, because Herald's own notes are not Jekyll sites — a
chat-template note's `{% for message in messages %}` or `$\\text{{a, b}}$` is content.
Only `{% raw %}` markers are treated as Jekyll markup everywhere (the Jekyll idiom for
showing Liquid in code); their content is kept as written.
"""

from __future__ import annotations

import re

_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)(?:\{%-?\s*endraw\s*-?%\}|\Z)", re.S)
_SLOT = re.compile(r"\x00(\d+)\x00")
_SCAN = re.compile(
    r"""
    (?=[`~$\\{]|^)  # every alternative starts here: lets the engine skip plain text fast
    (?:
      (?P<comment>\{%-?\s*comment\s*-?%\}.*?(?:\{%-?\s*endcomment\s*-?%\}|\Z))
    | (?P<block>\{%-?\s*(?P<kind>highlight|mermaid)\b(?P<args>[^%]*)%\}[ \t]*\n?
        (?P<body>.*?)\{%-?\s*end(?P=kind)\s*-?%\})
    | (?P<fence>^[ \t>]*(?P<ticks>`{3,}|~{3,})[^\n]*
        (?:\n.*?)??(?:\n[ \t>]*(?P=ticks)[`~]*[ \t]*(?=\n|\Z)|\Z))
    | (?P<span>(?P<bt>`+)(?:[^`\n]|\n(?![ \t]*\n)|(?!(?P=bt))`+)+?(?P=bt)(?!`))
    | (?P<math>\$\$(?:(?!\n[ \t]*\n)[^$]|\$(?!\$))+?\$\$|\$[^$\n]+?\$
        |\\\((?:(?!\n[ \t]*\n).)+?\\\)|\\\[(?:(?!\n[ \t]*\n).)+?\\\])
    | (?P<figure>\{%-?\s*include\s+figure\.\w+\s(?P<attrs>(?:[^%]|%(?!\}))*?)-?%\})
    | (?P<twitter>\{%-?\s*twitter\s+(?P<tweet>\S+?)\s*-?%\})
    | (?P<line>^[ \t]*\{%(?!-?\s*(?:include\s+figure|twitter|highlight|mermaid|comment)\b)
        (?:[^%]|%(?!\}))*%\}[ \t]*(?:\n|\Z))
    | (?P<tag>\{%(?:[^%]|%(?!\}))*%\}|\{\{(?:[^}]|\}(?!\}))*\}\})
    )
    """,
    re.S | re.M | re.X,
)
_ATTRIBUTE = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_BACKTICKS = re.compile(r"`+")


def resolve_liquid(text: str) -> str:
    """Markdown with every Liquid tag resolved or removed; code and math left intact."""
    if "{%" not in text and "{{" not in text:
        return text
    raw: list[str] = []

    def stash(match: re.Match[str]) -> str:
        raw.append(match.group(1))
        return f"\x00{len(raw) - 1}\x00"

    text = _RAW.sub(stash, text) if "\x00" not in text else text
    text = _SCAN.sub(_replace, text)
    return _SLOT.sub(lambda m: raw[int(m.group(1))], text) if raw else text


def _replace(match: re.Match[str]) -> str:
    kind = match.lastgroup
    if kind in ("fence", "span", "math"):
        return match.group()
    if kind == "block":
        args = match.group("args").split()
        lang = args[0] if match.group("kind") == "highlight" and args else match.group("kind")
        return "\n" + _fenced(lang, match.group("body")) + "\n"
    if kind == "figure":
        return _figure(match.group("attrs"))
    if kind == "twitter":
        return f"\n\n<{match.group('tweet')}>\n\n"
    return ""  # comments, whole-line tags, inline tags and `{{ expressions }}`


def _fenced(lang: str, body: str) -> str:
    """A fence longer than any backtick run inside, so the code cannot close it early."""
    longest = max((len(run) for run in _BACKTICKS.findall(body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{body.rstrip()}\n{fence}"


def _figure(attributes: str) -> str:
    values = {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTRIBUTE.finditer(attributes)}
    path = values.get("path") or values.get("url") or ""
    if not path or "{{" in path:
        return ""
    alt = values.get("caption") or values.get("alt") or values.get("title") or ""
    alt = " ".join(alt.replace("[", "(").replace("]", ")").split())
    return f"\n\n![{alt}](<{path}>)\n\n"
