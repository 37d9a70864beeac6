"""TeX → MathML Core on the server, for the web reader; the TeX as code when it fails.

math-core (Rust) is the converter: it escapes everything it copies from the TeX and
raises on what it does not know, instead of leaking `\\foo` as text or copying markup
through (`latex2mathml` passes `\\text{<script>}` into the page: not used for that
reason).  Browsers render MathML Core themselves, so the page needs no script.

math-core writes a few inline `style` attributes (`align` columns, `\\tag` widths,
`\\color`).  A strict `style-src 'self'` would block them, so each page's policy allows
exactly the values its math used, by hash (`style_hashes`); any other inline style,
injected or not, stays blocked.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable

import math_core

_STYLE = re.compile(r'\sstyle="([^"]*)"')


def style_hashes(styles: Iterable[str]) -> tuple[str, ...]:
    """CSP sources allowing exactly these `style` attribute values (`'sha256-…'`)."""
    return tuple(
        sorted(
            "'sha256-" + base64.b64encode(hashlib.sha256(value.encode()).digest()).decode() + "'"
            for value in set(styles)
        )
    )


def tex_as_code(tex: str, *, display: bool) -> str:
    """What a reader sees when the TeX cannot be converted: its source, as code."""
    escaped = html.escape(tex, quote=False)
    if display:
        return f'<pre class="tex-fallback"><code>{escaped}</code></pre>'
    return f'<code class="tex-fallback">{escaped}</code>'


class MathWriter:
    """One per page: macros a post defines (`\\def`) hold for the rest of that post.

    Not thread-safe; cheap to create (a few microseconds).
    """

    def __init__(self) -> None:
        self._converter = math_core.LatexToMathML(
            fancy_error=False, global_group=True, xml_namespace=False
        )
        self.failures = 0
        self.styles: set[str] = set()

    def mathml(self, tex: str, *, display: bool) -> str:
        try:
            markup = str(self._converter.convert_with_global_state(tex, displaystyle=display))
        except math_core.LatexError:
            self.failures += 1
            return tex_as_code(tex, display=display)
        if ' style="' in markup:
            self.styles.update(_STYLE.findall(markup))
        return markup
