"""View models → terminal text. Pure functions: the console adapter only prints them."""

from __future__ import annotations

from herald.core.i18n import t
from herald.core.pager import is_paged, part_label, part_on_screen
from herald.core.views import ArticleView, Card, FeedPage, Notice, Reply, TagList
from herald.render.article_parts import console_page, console_parts
from herald.render.plain import plain_text
from herald.render.search_snippets import snippet_text

RULE = "─" * 40


def _meta(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _hashtags(tags: tuple[str, ...]) -> str:
    return " ".join(f"#{tag}" for tag in tags)


def feed_text(page: FeedPage, *, banner: bool = False) -> str:
    """A page of cards; `banner` once a session, above its first feed (the session knows)."""
    lines = [t(page.lang, "banner"), ""] if banner else []
    lines.append(page.heading)
    for card in page.cards:
        meta = _meta(card.date_text, _hashtags(card.tags))
        text = card.excerpt if card.snippet is None else snippet_text(card.snippet)
        lines += ["", f"[{card.number}] {card.title}", f"    {meta}", text]
    hint = t(page.lang, "console.page_hint" if page.pages > 1 else "console.read_hint")
    lines += ["", f"{page.page_label}  ({hint})"]
    return "\n".join(lines)


def _article_header(article: ArticleView) -> str:
    meta = _meta(article.date_text, _hashtags(article.tags), article.slug)
    return "\n".join([article.title, meta, RULE])


def article_parts(article: ArticleView) -> tuple[str, ...]:
    """The article's parts in the terminal (the session counts them to turn them)."""
    return console_parts(article, _article_header(article))


def article_text(article: ArticleView) -> str:
    """The whole article, or, when it is long, the part on screen with how to turn it."""
    parts = article_parts(article)
    if not is_paged(article, len(parts)):
        return "\n".join([_article_header(article), plain_text(article.document), RULE])
    part = part_on_screen(article, len(parts))
    hint = t(article.reader_lang, "console.part_hint")
    footer = f"{part_label(article, part, len(parts))}  ({hint})"
    return "\n".join([console_page(article, parts, part), RULE, footer])


def tags_text(tags: TagList, *, lang: str) -> str:
    listed = [f"#{tag} ({count})" for tag, count in tags.tags]
    return "\n".join([tags.heading, "  ".join(listed), "", t(lang, "console.tag_hint")])


def notice_text(notice: Notice) -> str:
    return f"{notice.heading}\n\n{notice.text}" if notice.heading else notice.text


def reply_text(reply: Reply, *, lang: str, banner: bool = False) -> str:
    if isinstance(reply, FeedPage):
        return feed_text(reply, banner=banner)
    if isinstance(reply, ArticleView):
        return article_text(reply)
    if isinstance(reply, TagList):
        return tags_text(reply, lang=lang)
    return notice_text(reply)


def announcement_text(card: Card, *, lang: str) -> str:
    """A pushed post, as it appears in the terminal after `/subscribe`."""
    meta = _meta(card.date_text, _hashtags(card.tags))
    lines = [t(lang, "banner"), "", card.title, f"    {meta}", card.excerpt]
    return "\n".join([*lines, f"(/read {card.slug})"])
