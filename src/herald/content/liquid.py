"""Jekyll's Liquid tags, resolved before Markdown parsing so they never reach a reader.

Real posts carry them (al-folio/distill blogs especially): `{% highlight %}` becomes a
fenced block, `{% include figure… path=… %}` an image, `{% twitter url %}` the link,
`{% raw %}…{% endraw %}` its literal content, `{{ '/x.png' | relative_url }}` the path
it names (an image's source must not come out empty); anything else disappears.  Hugo's
`{{< figure src=… >}}` is an image and `{{< youtube id >}}` (vimeo, bilibili) the player
it embeds, which becomes a link to the video like any `<iframe>`; other shortcodes go.

What Liquid would mangle is protected (`herald.content.protected`): fenced code, inline
code spans and math keep `{{ … }}` and `{% … %}` verbatim, because Herald's own notes
are not Jekyll sites — a chat-template note's `{% for message in messages %}` or
`$\\text{{a, b}}$` is content.  Only `{% raw %}` markers are treated as Jekyll markup
everywhere (the Jekyll idiom for showing Liquid in code); their content is kept as
written.
"""

from __future__ import annotations

import re

from herald.content.protected import KEPT, PROTECTED_AFTER_NEWLINE, outside_protected

_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)(?:\{%-?\s*endraw\s*-?%\}|\Z)", re.S)
_SLOT = re.compile(r"\x00(\d+)\x00")
_SCAN = re.compile(
    r"""
      \{(?:
        (?P<comment>%-?\s*comment\s*-?%\}.*?(?:\{%-?\s*endcomment\s*-?%\}|\Z))
      | (?P<block>%-?\s*(?P<kind>highlight|mermaid)\b(?P<args>[^%]*)%\}[ \t]*\n?
          (?P<body>.*?)\{%-?\s*end(?P=kind)\s*-?%\})
      | (?P<figure>%-?\s*include\s+figure\.\w+\s(?P<attrs>(?:[^%]|%(?!\}))*?)-?%\})
      | (?P<twitter>%-?\s*twitter\s+(?P<tweet>\S+?)\s*-?%\})
      | (?P<shortcode>\{[<%]\s*(?P<code>figure|youtube|vimeo|bilibili)\s
          (?P<params>(?:[^<>%}]|[<>%](?!\}\}))*?)\s*[>%]\}\})
      | (?P<tag>%(?:[^%]|%(?!\}))*%\}|\{(?:[^}]|\}(?!\}))*\}\})
      )
    | """
    + PROTECTED_AFTER_NEWLINE
    + r"""
    | \n(?P<line>[ \t]*\{%(?!-?\s*(?:include\s+figure|twitter|highlight|mermaid|comment)\b)
        (?:[^%]|%(?!\}))*%\}[ \t]*)(?=\n|\Z)
    """,
    re.S | re.X,
)
"""Scanned over the text with a newline in front, as `PROTECTED_AFTER_NEWLINE` is read
(every alternative opens with a literal, so the engine skips plain text fast): a tag on
a line of its own goes with the newline before it."""
_URL = re.compile(
    r"""\{\{-?\s*(?:
        (?P<quote>["'])(?P<path>[^"'{}]*)(?P=quote)\s*
          (?:\|\s*(?:relative_url|absolute_url|prepend:\s*site\.(?:baseurl|url))\s*)+
      | (?:site\.baseurl|site\.url|base_path|site\.base_path)(?:\s*\|\s*\w+)*
    )\s*-?\}\}""",
    re.X,
)
"""Jekyll's URL idioms: `{{ '/assets/x.png' | relative_url }}` (or `absolute_url`,
`prepend: site.baseurl`) is the path itself, and `{{ site.baseurl }}` in front of a path
is nothing: image paths are resolved against the site root (`herald.core.media`)."""
_PLAYERS = {
    "youtube": "https://www.youtube.com/embed/{}",
    "vimeo": "https://player.vimeo.com/video/{}",
    "bilibili": "https://player.bilibili.com/player.html?bvid={}",
}
"""Hugo's video shortcodes, as the player each one embeds (which `herald.content.embeds`
turns into a link to the video, like any `<iframe>`)."""
_ATTRIBUTE = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_POSITIONAL = re.compile(r"^\s*\"?([\w-]+)\"?")
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
    text = outside_protected(_SCAN, _replace, text)
    return _SLOT.sub(lambda m: raw[int(m.group(1))], text) if raw else text


def _replace(match: re.Match[str]) -> str:
    kind = match.lastgroup
    if kind in KEPT:
        return match.group()
    if kind == "block":
        args = match.group("args").split()
        lang = args[0] if match.group("kind") == "highlight" and args else match.group("kind")
        return "\n" + _fenced(lang, match.group("body")) + "\n"
    if kind == "figure":
        return _figure(match.group("attrs"))
    if kind == "twitter":
        return f"\n\n<{match.group('tweet')}>\n\n"
    if kind == "shortcode":
        return _shortcode(match.group("code"), match.group("params"))
    if kind == "tag":
        url = _URL.fullmatch(match.group())
        if url is not None:
            return _url_path(url.group("path") or "", match)
    if kind == "line" and match.end() == len(match.string):
        return "\n"  # the last line of the text: the newline before it stays
    return ""  # comments, whole-line tags, inline tags and `{{ expressions }}`


def _url_path(path: str, match: re.Match[str]) -> str:
    """A resolved Liquid URL; inside `(…)` a path with spaces or parentheses gets `<…>`,
    so it stays one Markdown destination."""
    before = match.string[match.start() - 1 : match.start()]
    after = match.string[match.end() : match.end() + 1]
    if before == "(" and after in (")", " ", '"') and re.search(r"[\s()]", path):
        return f"<{path}>"
    return path


def _fenced(lang: str, body: str) -> str:
    """A fence longer than any backtick run inside, so the code cannot close it early."""
    longest = max((len(run) for run in _BACKTICKS.findall(body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{body.rstrip()}\n{fence}"


def _figure(attributes: str) -> str:
    """Jekyll's `{% include figure.html path=… %}` or Hugo's `{{< figure src=… >}}`."""
    values = {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTRIBUTE.finditer(attributes)}
    path = values.get("path") or values.get("url") or values.get("src") or ""
    if not path or "{{" in path:
        return ""
    alt = values.get("caption") or values.get("alt") or values.get("title") or ""
    alt = " ".join(alt.replace("[", "(").replace("]", ")").split())
    return f"\n\n![{alt}](<{path}>)\n\n"


def _shortcode(name: str, params: str) -> str:
    """A Hugo shortcode that shows something: a figure's image, a video's player."""
    if name == "figure":
        return _figure(params)
    named = {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTRIBUTE.finditer(params)}
    positional = _POSITIONAL.match(params)
    video = named.get("id") or (positional.group(1) if positional and not named else "")
    if not re.fullmatch(r"[\w-]+", video):
        return ""
    return f'\n\n<iframe src="{_PLAYERS[name].format(video)}"></iframe>\n\n'
