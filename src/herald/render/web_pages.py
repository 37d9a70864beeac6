"""Whole web reader pages (article, lists, not found) around a rendered body.  Pure.

Every page is the same shell: the language, one stylesheet and one small script (both
served by the reader itself, with hashed names), a header with the feed, tags and search,
then the content.  No inline script or style, so the policy can forbid both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from herald.core.i18n import t
from herald.core.search import Snippet
from herald.render.web_html import attr, esc
from herald.render.web_links import latest_path, post_path, tag_path


@dataclass(frozen=True, slots=True)
class Shell:
    """What every page shares: the reader's language and the asset addresses."""

    lang: str
    stylesheet: str
    script: str


@dataclass(frozen=True, slots=True)
class ListItem:
    """One post in a list: title, date, tags, its excerpt or where a search matched."""

    link_key: str
    title: str
    date_text: str
    tags: tuple[str, ...]
    excerpt: str
    snippet: Snippet | None = None


@dataclass(frozen=True, slots=True)
class Pages:
    """Where a list's previous and next pages are (None: there is none)."""

    page: int
    pages: int
    previous: str | None
    next: str | None


def _document(shell: Shell, title: str, main: str, *, query: str = "", lang: str = "") -> str:
    head = (
        "<!DOCTYPE html>\n"
        f'<html lang="{attr(shell.lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n"
        f'<link rel="stylesheet" href="{attr(shell.stylesheet)}">\n'
        f'<script src="{attr(shell.script)}" defer></script>\n</head>\n'
    )
    header = (
        '<header class="site"><nav>'
        f'<a href="{latest_path()}">{esc(t(shell.lang, "web.latest"))}</a>'
        f'<form action="/search" method="get" role="search">'
        f'<input type="search" name="q" value="{attr(query)}" '
        f'aria-label="{attr(t(shell.lang, "web.search_label"))}" '
        f'placeholder="{attr(t(shell.lang, "web.search"))}" maxlength="200">'
        f'<button type="submit">{esc(t(shell.lang, "web.search"))}</button></form>'
        "</nav></header>\n"
    )
    content_lang = f' lang="{attr(lang)}"' if lang and lang != shell.lang else ""
    return f"{head}<body>\n{header}<main{content_lang}>\n{main}</main>\n</body>\n</html>\n"


def _tags(tags: Sequence[str]) -> str:
    if not tags:
        return ""
    links = "".join(f'<li><a href="{attr(tag_path(tag))}">#{esc(tag)}</a></li>' for tag in tags)
    return f'<ul class="tags">{links}</ul>'


def article_page(
    shell: Shell,
    *,
    title: str,
    date_iso: str,
    date_text: str,
    tags: Sequence[str],
    lang: str,
    body: str,
) -> str:
    main = (
        f"<article>\n<h1>{esc(title)}</h1>\n"
        f'<div class="meta"><time datetime="{attr(date_iso)}">{esc(date_text)}</time>'
        f"{_tags(tags)}</div>\n{body}</article>\n"
    )
    return _document(shell, title, main, lang=lang)


def _snippet_html(snippet: Snippet) -> str:
    pieces = "".join(
        f"<mark>{esc(piece)}</mark>" if hit else esc(piece) for piece, hit in snippet.pieces()
    )
    return ("…" if snippet.cut_before else "") + pieces + ("…" if snippet.cut_after else "")


def _item(item: ListItem) -> str:
    text = _snippet_html(item.snippet) if item.snippet is not None else esc(item.excerpt)
    return (
        f'<li><h2><a href="{attr(post_path(item.link_key))}">{esc(item.title)}</a></h2>'
        f'<div class="meta"><span>{esc(item.date_text)}</span>{_tags(item.tags)}</div>'
        f"<p>{text}</p></li>"
    )


def _pager(shell: Shell, pages: Pages) -> str:
    if pages.pages <= 1:
        return ""
    links = []
    if pages.previous is not None:
        links.append(
            f'<a rel="prev" href="{attr(pages.previous)}">{esc(t(shell.lang, "web.previous"))}</a>'
        )
    links.append(f"<span>{esc(t(shell.lang, 'page', page=pages.page, pages=pages.pages))}</span>")
    if pages.next is not None:
        links.append(
            f'<a rel="next" href="{attr(pages.next)}">{esc(t(shell.lang, "web.next"))}</a>'
        )
    return f'<nav class="pager">{"".join(links)}</nav>\n'


def list_page(
    shell: Shell,
    *,
    heading: str,
    items: Sequence[ListItem],
    total: int,
    pages: Pages,
    empty: str,
    query: str = "",
) -> str:
    """A feed, a tag's posts or search results, one page of them."""
    if items:
        listing = '<ol class="posts">' + "".join(_item(item) for item in items) + "</ol>\n"
        count = f'<p class="count">{esc(t(shell.lang, "web.results", total=total))}</p>\n'
    else:
        listing, count = f'<p class="empty">{esc(empty)}</p>\n', ""
    main = f"<h1>{esc(heading)}</h1>\n{count}{listing}{_pager(shell, pages)}"
    return _document(shell, heading, main, query=query)


def not_found_page(shell: Shell) -> str:
    heading = t(shell.lang, "web.not_found")
    main = f"<h1>{esc(heading)}</h1>\n<p>{esc(t(shell.lang, 'web.not_found_text'))}</p>\n"
    return _document(shell, heading, main)
