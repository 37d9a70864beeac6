"""The reader service every adapter calls: feeds, articles, search, tags, subscriptions.

It speaks only in view models and never raises for anything a user can type or press:
bad pages, unknown posts, forged payloads and odd queries all come back as a `Notice`.
It reads through the store ports alone; answering a button never writes to the store.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from herald.content.document import Document
from herald.content.parse_pool import article_document
from herald.core.actions import (
    Action,
    Feed,
    Noop,
    ReadAll,
    ReadImages,
    ReadPart,
    ReadPost,
    SetOption,
    ShowLatest,
    ShowSearch,
    ShowTag,
    decode,
    tag_ref,
)
from herald.core.chats import ChatDesk
from herald.core.i18n import t
from herald.core.media import local_images
from herald.core.pager import act_on_article
from herald.core.paging import navigation
from herald.core.ports import Store
from herald.core.records import PostRecord, PostSummary, Slice
from herald.core.views import (
    Announcement,
    ArticleView,
    Button,
    Card,
    FeedPage,
    Notice,
    Reply,
    TagList,
)
from herald.limits import ARTICLE_MESSAGES, MAX_QUERY_CHARS, MAX_TAG_CHARS, PAGE_SIZE


async def _parsed(body: str, path: str) -> Document:
    """Parsed in a worker within a time budget, never on the event loop: one hostile post
    must not stall every reader (`herald.content.parse_pool`); cached there."""
    return await article_document(body, path)


class ReaderService(ChatDesk):
    def __init__(
        self,
        store: Store,
        *,
        page_size: int = PAGE_SIZE,
        timezone: str = "UTC",
        clock: Callable[[], float] = time.time,
        content_dir: Path | None = None,
        max_article_messages: int = ARTICLE_MESSAGES,
    ) -> None:
        self.posts = store.posts
        self.subscriptions = store.subscriptions
        self.preferences = store.preferences
        self.content_dir = content_dir
        """Where local images are looked up (None: articles have no local images)."""
        self.page_size = page_size
        self.zone = ZoneInfo(timezone)
        self.clock = clock
        self.max_article_messages = max_article_messages  # more: a pager (`core.pager`)

    def with_page_size_at_most(self, cap: int) -> ReaderService:
        """This service for a platform whose pages hold at most `cap` cards (Discord's 10
        embeds): its cards, `/read <n>` and page buttons all count with that size."""
        capped = copy.copy(self)
        capped.page_size = min(self.page_size, cap)
        return capped

    def _now(self) -> int:
        return int(self.clock())

    # -- feeds ---------------------------------------------------------------------------

    async def latest(self, page: int = 1, *, lang: str, page_size: int | None = None) -> Reply:
        return await self.feed(ShowLatest(page), lang=lang, page_size=page_size)

    async def search(
        self, query: str, page: int = 1, *, lang: str, page_size: int | None = None
    ) -> Reply:
        query = " ".join(query.split())
        if not query:
            return Notice(t(lang, "search.nothing"))
        if len(query) > MAX_QUERY_CHARS:
            return Notice(t(lang, "search.too_long", limit=MAX_QUERY_CHARS), is_error=True)
        key = await self.posts.save_query(query)
        return await self.feed(ShowSearch(key, page), lang=lang, page_size=page_size, label=query)

    async def by_tag(self, tag: str, page: int = 1, *, lang: str) -> Reply:
        tag = " ".join(tag.split()).lstrip("#")
        if not tag or len(tag) > MAX_TAG_CHARS:
            return Notice(t(lang, "tag.usage"))
        return await self.feed(ShowTag(tag_ref(tag), page), lang=lang, label=tag)

    async def feed(
        self, action: Feed, *, lang: str, page_size: int | None = None, label: str | None = None
    ) -> Reply:
        """Show one page of a feed; `page_size` lets an adapter shrink a page that won't fit,
        `label` is the tag or query when the caller knows it already."""
        size = page_size or self.page_size
        resolved = await self._resolve(action, lang, label)
        if isinstance(resolved, Notice):
            return resolved
        heading, text = resolved
        found = await self._slice(action, text, offset=(action.page - 1) * size, limit=size)
        if found is None:  # typed, but nothing in it can be searched (emoji, punctuation)
            return Notice(t(lang, "search.unsearchable", query=text))
        pages = max(1, math.ceil(found.total / size))
        if found.total == 0:
            return Notice(self._empty_text(action, text, lang))
        if action.page > pages:
            return Notice(t(lang, "page.out_of_range", page=action.page, pages=pages))
        first_number = (action.page - 1) * size + 1
        cards = tuple(
            self._card(summary, first_number + i, lang, back=action)
            for i, summary in enumerate(found.items)
        )
        return FeedPage(
            heading=heading,
            cards=cards,
            page=action.page,
            pages=pages,
            total=found.total,
            page_label=t(lang, "page", page=action.page, pages=pages),
            navigation=navigation(action, pages, lang),
            current=action,
            lang=lang,
        )

    async def _resolve(
        self, action: Feed, lang: str, label: str | None = None
    ) -> tuple[str, str] | Notice:
        """Heading and the feed's text (query or tag), or a Notice for an unknown key."""
        if isinstance(action, ShowLatest):
            return t(lang, "latest.heading"), ""
        if isinstance(action, ShowTag):
            text = label or await self.posts.tag_for_ref(action.ref)
            if text is None:
                return Notice(t(lang, "action.stale"), is_error=True)
            return t(lang, "tag.heading", tag=text), text
        text = label or await self.posts.load_query(action.key)
        if text is None:
            return Notice(t(lang, "action.stale"), is_error=True)
        return t(lang, "search.heading", query=text), text

    async def _slice(self, action: Feed, text: str, *, offset: int, limit: int) -> Slice | None:
        now = self._now()
        if isinstance(action, ShowLatest):
            return await self.posts.latest(now=now, offset=offset, limit=limit)
        if isinstance(action, ShowTag):
            return await self.posts.by_tag(text, now=now, offset=offset, limit=limit)
        return await self.posts.search(text, now=now, offset=offset, limit=limit)

    def _empty_text(self, action: Feed, text: str, lang: str) -> str:
        if isinstance(action, ShowTag):
            return t(lang, "empty.tag", tag=text)
        if isinstance(action, ShowSearch):
            return t(lang, "empty.search", query=text)
        return t(lang, "empty.latest")

    def _date_text(self, summary: PostSummary) -> str:
        """Dates are shown as the day in the configured zone; stored times stay UTC."""
        return summary.date.astimezone(self.zone).strftime("%Y-%m-%d")

    def _card(self, summary: PostSummary, number: int, lang: str, *, back: Feed) -> Card:
        return Card(
            number=number,
            post_id=summary.id,
            slug=summary.slug,
            link_key=summary.link_key,
            title=summary.title,
            excerpt=summary.excerpt,
            date_text=self._date_text(summary),
            tags=summary.tags,
            read=Button(t(lang, "button.read", number=number), ReadPost(summary.id, back)),
            snippet=summary.snippet,
        )

    # -- tags ----------------------------------------------------------------------------

    async def tag_counts(self) -> list[tuple[str, int]]:
        """Every visible tag with its number of posts, most used first (for autocomplete)."""
        return await self.posts.tags(now=self._now())

    async def tags(self, *, lang: str) -> Reply:
        counted = await self.posts.tags(now=self._now())
        if not counted:
            return Notice(t(lang, "empty.tags"))
        buttons = [Button(f"#{tag}", ShowTag(tag_ref(tag), 1)) for tag, _count in counted]
        return TagList(t(lang, "tags.heading"), tuple(counted), tuple(buttons))

    # -- articles ------------------------------------------------------------------------

    async def article(self, ref: str, *, lang: str, context: Feed | None = None) -> Reply:
        """`/read 3` (third item of the list in context, else of the latest) or `/read slug`."""
        ref = ref.strip()
        if not ref:
            return Notice(t(lang, "read.usage"))
        if ref.isdigit() and len(ref) <= 6:
            return await self._nth(int(ref), context or ShowLatest(1), lang)
        record = await self.posts.by_slug(ref, now=self._now())
        if record is None:
            return Notice(t(lang, "read.not_found", ref=ref[:80]), is_error=True)
        return await self._article(record, lang, context)

    async def open_post(self, post_id: int, *, lang: str, context: Feed | None = None) -> Reply:
        record = await self.posts.get(post_id, now=self._now())
        if record is None:
            return Notice(t(lang, "action.gone"), is_error=True)
        return await self._article(record, lang, context)

    async def _nth(self, number: int, context: Feed, lang: str) -> Reply:
        resolved = await self._resolve(context, lang)
        text = "" if isinstance(resolved, Notice) else resolved[1]
        if isinstance(resolved, Notice):
            context = ShowLatest(1)
        found = await self._slice(context, text, offset=max(number - 1, 0), limit=1)
        if found is None or number < 1 or not found.items:
            total = found.total if found else 0
            return Notice(t(lang, "read.number_out_of_range", number=number, total=total))
        return await self.open_post(found.items[0].id, lang=lang, context=context)

    async def _article(self, record: PostRecord, lang: str, context: Feed | None) -> ArticleView:
        summary = record.summary
        back_to = context or ShowLatest(1)
        document = await _parsed(record.body, record.path)
        images = local_images(self.content_dir, record.path, document) if self.content_dir else ()
        return ArticleView(
            post_id=summary.id,
            slug=summary.slug,
            link_key=summary.link_key,
            title=summary.title,
            date_text=self._date_text(summary),
            tags=summary.tags,
            document=document,
            lang=summary.lang,
            local_images=images,
            back=Button(t(lang, "button.back"), back_to),
            max_messages=self.max_article_messages,
            reader_lang=lang,
        )

    async def announcement(self, post_id: int, *, lang: str) -> Card | None:
        """The card pushed to subscribers when a post is published (None: no longer visible)."""
        record = await self.posts.get(post_id, now=self._now())
        if record is None:
            return None
        card = self._card(record.summary, 1, lang, back=ShowLatest(1))
        return replace(card, read=Button(t(lang, "button.open"), ReadPost(post_id)))

    async def announcement_of(
        self, post_id: int, *, lang: str, with_article: bool = False
    ) -> Announcement | None:
        """What a push sends: the card, and the article for subscriptions that want posts
        whole (None: no longer visible)."""
        card = await self.announcement(post_id, lang=lang)
        if card is None:
            return None
        article = await self.open_post(post_id, lang=lang) if with_article else None
        return Announcement(card, lang, article if isinstance(article, ArticleView) else None)

    # -- buttons -------------------------------------------------------------------------

    async def perform(self, payload: str, *, lang: str) -> Reply | None:
        """Act on a payload that came back from a button; None means "just acknowledge"."""
        action = decode(payload)
        if action is None:
            return Notice(t(lang, "action.stale"), is_error=True)
        return await self.act(action, lang=lang)

    async def act(self, action: Action, *, lang: str) -> Reply | None:
        if isinstance(action, Noop):
            return None
        if isinstance(action, SetOption):  # needs the chat it was pressed in: the adapter's
            return Notice(t(lang, "action.stale"), is_error=True)
        if isinstance(action, ReadPost):
            return await self.open_post(action.post_id, lang=lang, context=action.back)
        if isinstance(action, ReadPart | ReadAll | ReadImages):
            return await act_on_article(self, action, lang=lang)
        return await self.feed(action, lang=lang)
