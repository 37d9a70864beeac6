"""A pushed post in the terminal, as the subscription asked for it. Pure functions.

The terminal has no message limit, no sound and no previews: the card, the title, or the
whole article as plain text, each ending with the command that opens the post.
"""

from __future__ import annotations

from herald.core.i18n import t
from herald.core.records import SendMode
from herald.core.views import Announcement
from herald.render.console_replies import RULE, announcement_text
from herald.render.plain import plain_text


def push_text(post: Announcement, mode: SendMode) -> str:
    card, lang = post.card, post.lang
    opens = f"(/read {card.slug})"
    if mode == "title":
        return "\n".join([t(lang, "banner"), "", card.title, opens])
    if mode == "article" and post.article is not None:
        article = post.article
        meta = " · ".join([article.date_text, *(f"#{tag}" for tag in article.tags)])
        body = plain_text(article.document)
        return "\n".join([t(lang, "banner"), "", article.title, meta, RULE, body, RULE, opens])
    return announcement_text(card, lang=lang)
