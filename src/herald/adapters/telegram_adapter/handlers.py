"""Telegram handlers: one per command, like python-telegram-bot's examples.

Each handler translates an update into a core call and the reply into Telegram messages,
nothing more.  Callback queries are answered first, before any slow work; everything a
user can cause ends in a polite reply; the error handler logs the rest and apologises.
"""

from __future__ import annotations

import logging
from pathlib import Path

from telegram import (
    Chat,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from herald.content.render import telegram_messages
from herald.core.actions import ReadPost, ShowLatest, decode
from herald.core.commands import help_text
from herald.core.i18n import Language, language_of, t
from herald.core.media import local_images
from herald.core.service import ReaderService, page_argument
from herald.core.views import ArticleView, Button, FeedPage, Notice, Reply, TagList
from herald.limits import TELEGRAM_CAPTION_CHARS, TELEGRAM_INLINE_RESULTS

from .format import (
    article_buttons,
    article_header,
    deep_link,
    escape,
    feed_message,
    keyboard,
    notice_html,
    tags_message,
)

log = logging.getLogger(__name__)
PLATFORM = "telegram"
Context = ContextTypes.DEFAULT_TYPE
_MAX_PHOTO_BYTES = 10 * 1024 * 1024


class TelegramHandlers:
    def __init__(self, reader: ReaderService, *, content_dir: Path, default_language: Language):
        self.reader = reader
        self.content_dir = content_dir.resolve()
        self.default_language: Language = default_language

    # -- helpers -------------------------------------------------------------------------

    async def language(self, update: Update) -> Language:
        user = update.effective_user
        if user is None:
            return self.default_language
        chosen = await self.reader.preferences.language(PLATFORM, str(user.id))
        if chosen in ("zh", "en"):
            return chosen  # type: ignore[return-value]
        return language_of(user.language_code, self.default_language)

    async def reply(
        self, update: Update, context: Context, reply: Reply, *, lang: Language
    ) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        if isinstance(reply, FeedPage):
            if context.chat_data is not None:
                context.chat_data["feed"] = reply.current
            text, markup = feed_message(reply)
            await self._send(context, chat.id, text, markup)
        elif isinstance(reply, ArticleView):
            await self.send_article(context, chat.id, reply, lang)
        elif isinstance(reply, TagList):
            text, markup = tags_message(reply)
            await self._send(context, chat.id, text, markup)
        else:
            await self._send(context, chat.id, notice_html(reply), None)

    async def _send(
        self, context: Context, chat_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> Message:
        return await context.bot.send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            disable_web_page_preview=True,
        )

    async def send_article(
        self, context: Context, chat_id: int, article: ArticleView, lang: Language
    ) -> None:
        """Text split to the limit; local images as photos; buttons on the last message."""
        chunks = telegram_messages(article.document, header_html=article_header(article))
        photos = local_images(self.content_dir, article, max_bytes=_MAX_PHOTO_BYTES)
        buttons = article_buttons(article, context.bot.username, lang)
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1 and not photos
            await self._send(context, chat_id, chunk, buttons if last else None)
        for index, photo in enumerate(photos):
            last = index == len(photos) - 1
            with photo.path.open("rb") as handle:
                await context.bot.send_photo(
                    chat_id,
                    handle,
                    caption=photo.alt[:TELEGRAM_CAPTION_CHARS] or None,
                    reply_markup=buttons if last else None,
                )

    # -- commands ------------------------------------------------------------------------

    async def start(self, update: Update, context: Context) -> None:
        lang = await self.language(update)
        if context.args:
            await self.reply(
                update, context, await self.reader.article(context.args[0], lang=lang), lang=lang
            )
            return
        banner = f"<b>{escape(t(lang, 'banner'))}</b>\n\n{escape(t(lang, 'welcome'))}"
        chat = update.effective_chat
        if chat:
            markup = keyboard([[Button(t(lang, "latest.heading"), ShowLatest(1))]])
            await self._send(context, chat.id, banner, markup)

    async def help(self, update: Update, context: Context) -> None:
        lang = await self.language(update)
        text = help_text(lang, heading=t(lang, "help.heading"))
        await self.reply(update, context, Notice(text), lang=lang)

    async def latest(self, update: Update, context: Context) -> None:
        lang = await self.language(update)
        page = page_argument(" ".join(context.args or []), lang=lang)
        reply = page if isinstance(page, Notice) else await self.reader.latest(page, lang=lang)
        await self.reply(update, context, reply, lang=lang)

    async def read(self, update: Update, context: Context) -> None:
        lang = await self.language(update)
        feed = context.chat_data.get("feed") if context.chat_data is not None else None
        reply = await self.reader.article(" ".join(context.args or []), lang=lang, context=feed)
        await self.reply(update, context, reply, lang=lang)

    async def search(self, update: Update, context: Context) -> None:
        lang = await self.language(update)
        reply = await self.reader.search(" ".join(context.args or []), lang=lang)
        await self.reply(update, context, reply, lang=lang)

    async def tags(self, update: Update, context: Context) -> None:
        lang = await self.language(update)
        await self.reply(update, context, await self.reader.tags(lang=lang), lang=lang)

    async def tag(self, update: Update, context: Context) -> None:
        lang = await self.language(update)
        reply = await self.reader.by_tag(" ".join(context.args or []), lang=lang)
        await self.reply(update, context, reply, lang=lang)

    async def set_language(self, update: Update, context: Context) -> None:
        lang = await self.language(update)
        choice = (context.args or [""])[0].lower()
        user = update.effective_user
        if choice not in ("zh", "en") or user is None:
            await self.reply(update, context, Notice(t(lang, "language.usage")), lang=lang)
            return
        await self.reader.preferences.set_language(PLATFORM, str(user.id), choice)
        chosen: Language = "zh" if choice == "zh" else "en"
        await self.reply(update, context, Notice(t(chosen, "language.set")), lang=chosen)

    async def subscribe(self, update: Update, context: Context) -> None:
        await self._subscription(update, context, subscribe=True)

    async def unsubscribe(self, update: Update, context: Context) -> None:
        await self._subscription(update, context, subscribe=False)

    async def _subscription(self, update: Update, context: Context, *, subscribe: bool) -> None:
        lang = await self.language(update)
        chat = update.effective_chat
        if chat is None:
            return
        if not await self._may_manage(update, context, chat):
            await self.reply(update, context, Notice(t(lang, "subscribe.admins_only")), lang=lang)
            return
        tags = tuple(context.args or ())
        change = self.reader.subscribe if subscribe else self.reader.unsubscribe
        notice = await change(PLATFORM, str(chat.id), tags, lang=lang)
        await self.reply(update, context, notice, lang=lang)

    async def _may_manage(self, update: Update, context: Context, chat: Chat) -> bool:
        """Anyone in a private chat; in groups only administrators (asked, not cached)."""
        if chat.type == ChatType.PRIVATE:
            return True
        if chat.type == ChatType.CHANNEL:
            return True  # only administrators can post in a channel at all
        user = update.effective_user
        if user is None:
            return False
        member = await context.bot.get_chat_member(chat.id, user.id)
        return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)

    async def unknown(self, update: Update, context: Context) -> None:
        lang = await self.language(update)
        message = update.effective_message
        command = (message.text or "").split()[0] if message and message.text else "?"
        await self.reply(
            update, context, Notice(t(lang, "unknown.command", command=command[:40])), lang=lang
        )

    # -- buttons and inline mode ---------------------------------------------------------

    async def button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None:
            return
        lang = await self.language(update)
        action = decode(query.data or "")
        if action is None:  # forged or from an older version: say so on the button itself
            await query.answer(t(lang, "action.stale")[:200])
            return
        await query.answer()  # first, before any slow work: the spinner stops at once
        feed = context.chat_data.get("feed") if context.chat_data is not None else None
        if isinstance(action, ReadPost):  # "back" should return to the list the reader saw
            reply: Reply | None = await self.reader.open_post(
                action.post_id, lang=lang, context=feed
            )
        else:
            reply = await self.reader.act(action, lang=lang)
        if reply is None:
            return
        message = query.message
        if isinstance(reply, FeedPage) and isinstance(message, Message):
            if context.chat_data is not None:
                context.chat_data["feed"] = reply.current
            text, markup = feed_message(reply)
            try:
                await message.edit_text(
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    disable_web_page_preview=True,
                )
            except BadRequest as exc:
                if "not modified" not in str(exc).lower():  # double taps are harmless
                    raise
            return
        await self.reply(update, context, reply, lang=lang)

    async def inline(self, update: Update, context: Context) -> None:
        query = update.inline_query
        if query is None:
            return
        lang = await self.language(update)
        text = query.query.strip()
        size = TELEGRAM_INLINE_RESULTS
        found = (
            await self.reader.search(text, lang=lang, page_size=size)
            if text
            else await self.reader.latest(1, lang=lang, page_size=size)
        )
        results = []
        if isinstance(found, FeedPage):
            username = context.bot.username
            for card in found.cards[:size]:
                body = (
                    f"<b>{escape(card.title)}</b>\n<i>{escape(card.date_text)}</i>\n\n"
                    f"{escape(card.excerpt)}"
                )
                markup = (
                    keyboard(
                        [[Button(t(lang, "button.open"), url=deep_link(username, card.link_key))]]
                    )
                    if username
                    else None
                )
                results.append(
                    InlineQueryResultArticle(
                        id=str(card.post_id),
                        title=card.title,
                        description=card.excerpt[:200],
                        input_message_content=InputTextMessageContent(
                            body, parse_mode=ParseMode.HTML
                        ),
                        reply_markup=markup,
                    )
                )
        await query.answer(results, cache_time=30, is_personal=False)

    # -- errors --------------------------------------------------------------------------

    async def error(self, update: object, context: Context) -> None:
        """Log what went wrong (tokens are scrubbed by the log handler) and apologise."""
        error = context.error
        if isinstance(error, Forbidden):
            log.info("cannot write to a chat: %s", error)
            return
        log.error("error while handling an update", exc_info=error)
        if isinstance(update, Update) and update.effective_chat is not None:
            lang = await self.language(update)
            try:
                await context.bot.send_message(update.effective_chat.id, t(lang, "error.internal"))
            except TelegramError:
                log.warning("could not tell the user about the error")
