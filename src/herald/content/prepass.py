"""The Markdown source every reader of a post's body starts from, as Jekyll prepares it.

Jekyll runs Liquid over a post, then hands the result to kramdown; Herald does the same
two rewrites before anything reads the body: the parser (`herald.content.markdown`), the
search index (`herald.content.searchable`), and whatever else wants the text as a reader
sees it (a title from the first heading, the language guess).  Both passes are no-ops,
four substring tests each, on a post that has neither Liquid nor kramdown markers.
"""

from __future__ import annotations

from functools import lru_cache

from herald.content.kramdown import strip_kramdown
from herald.content.liquid import resolve_liquid


@lru_cache(maxsize=2)
def prepared(markdown: str) -> str:
    """Liquid resolved (`{{ '/x.png' | relative_url }}` → `/x.png`), then kramdown's
    reader-invisible syntax (`{:toc}`, `{: .class}`, `{::comment}`) removed.  The last two
    are kept: a sync reads each body twice in a row, for its search text and its card."""
    return strip_kramdown(resolve_liquid(markdown))
