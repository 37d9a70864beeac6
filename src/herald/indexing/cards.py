"""A card's excerpt, within its time budget, wherever it is made.

Cards are rendered by the sync (in workers), by the deferred excerpt pass (in workers), and
on the spot for a reader while a large sync's excerpts are still being stored (in the
service's parse pool, never on its event loop).  All three use `render_card`, so a card
reads the same whoever made it, and a post whose render is over budget gets the excerpt
of its plain text (`herald.content.budget`) rather than stalling anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from herald.content.budget import (
    OverBudget,
    budget_for,
    over_budget_reason,
    plain_document,
    time_budget,
)
from herald.content.parse_pool import ParsePool, Unanswered, shared_pool
from herald.limits import PARSE_DEADLINE_GRACE_SECONDS
from herald.render import card_text, excerpt

log = logging.getLogger("herald.store")

CardSource = tuple[str | None, str, str]
"""(summary, body, lang): what an excerpt is made from."""


@dataclass(frozen=True, slots=True)
class RenderedCard:
    text: str
    error: str | None = None
    """A renderer bug: the card has no text (it costs one card, never a page or a sync)."""
    warning: str | None = None
    """Over budget: `text` is the excerpt of the post's plain text."""


def plain_card(card: CardSource, limit: int) -> str:
    """The excerpt of the card's source read as plain text: linear, never over budget."""
    summary, body, lang = card
    return excerpt(plain_document(summary or body), lang=lang, limit=limit)


def render_card(card: CardSource, limit: int) -> RenderedCard:
    """A card's excerpt, within its budget (a worker's main thread keeps it)."""
    summary, body, lang = card
    seconds = budget_for(len(summary or body))
    try:
        with time_budget(seconds):
            return RenderedCard(card_text(summary, body, lang=lang, limit=limit))
    except OverBudget:
        return RenderedCard(plain_card(card, limit), warning=over_budget_reason(seconds))
    except Exception as exc:
        return RenderedCard("", error=repr(exc))


def render_cards(cards: list[CardSource], limit: int) -> list[RenderedCard]:
    """`render_card` for a batch, in a worker."""
    return [render_card(card, limit) for card in cards]


def log_problems(post_id: int, rendered: RenderedCard) -> None:
    if rendered.error is not None:
        log.warning("cannot render the excerpt of post %d: %s", post_id, rendered.error)
    elif rendered.warning is not None:
        log.warning("the excerpt of post %d %s", post_id, rendered.warning)


async def render_cards_now(
    cards: Sequence[tuple[int, CardSource]], limit: int, pool: ParsePool | None = None
) -> dict[int, str]:
    """Excerpts a reader is waiting for, by post id: rendered in the parse pool, off the
    event loop; if its worker had to be killed, the plain texts' excerpts."""
    if not cards:
        return {}
    sources = [source for _, source in cards]
    deadline = sum(budget_for(len(s[0] or s[1])) for s in sources) + PARSE_DEADLINE_GRACE_SECONDS
    try:
        rendered = await (pool or shared_pool()).run(
            render_cards, sources, limit, deadline=deadline
        )
    except Unanswered as exc:
        log.warning("cards rendered as plain text: %s", exc)
        rendered = [RenderedCard(plain_card(source, limit)) for source in sources]
    texts = {}
    for (post_id, _), card in zip(cards, rendered, strict=True):
        log_problems(post_id, card)
        texts[post_id] = card.text
    return texts
