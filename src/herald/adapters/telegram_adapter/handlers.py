"""Telegram handlers, like python-telegram-bot's examples: one per kind of update.

Every command of the registry gets the same handler: the update becomes a neutral
`Request`, the core answers, the renderer makes the messages, and they are sent.
Callback queries are answered first, before any slow work; everything a user can cause
ends in a polite reply; the error handler logs the rest and apologises.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Chat as TelegramChat
from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import ContextTypes

from herald.adapters import Services
from herald.core.actions import SetOption, decode
from herald.core.commands import Chat, Command, Request, execute
from herald.core.i18n import Language, language_of, parse_language, t
from herald.core.start_links import HELP_START
from herald.core.views import ArticleView, FeedPage, Notice, Reply
from herald.limits import (
    ECHOED_COMMAND_CHARS,
    TELEGRAM_CALLBACK_ANSWER_CHARS,
    TELEGRAM_INLINE_BUTTON_CHARS,
    TELEGRAM_INLINE_RESULTS,
)
from herald.render.split import cut_point
from herald.render.telegram_replies import inline_articles, reply_messages
from herald.render.web_links import with_reader_links

from .settings_buttons import press_setting
from .wire import markup, send, topic_of

log = logging.getLogger(__name__)
PLATFORM = "telegram"
Context = ContextTypes.DEFAULT_TYPE
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


class TelegramHandlers:
    def __init__(self, services: Services) -> None:
        self.reader = services.reader
        self.default_language: Language = services.default_language
        self.metrics = services.metrics
        self.web_base_url = services.web_base_url

    # -- helpers -------------------------------------------------------------------------

    async def language(self, update: Update) -> Language:
        user = update.effective_user
        if user is None:
            return self.default_language
        chosen = await self.reader.preferences.language(PLATFORM, str(user.id))
        return parse_language(chosen) or language_of(user.language_code, self.default_language)

    async def reply(self, update: Update, context: Context, reply: Reply, lang: Language) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        topic = topic_of(update.effective_message)  # a forum topic's answers stay in it
        reply = with_reader_links(reply, self.web_base_url)
        for message in reply_messages(reply, lang=lang, bot_username=context.bot.username):
            await send(context.bot, chat.id, message, thread_id=topic)

    # -- commands ------------------------------------------------------------------------

    def command(self, command: Command) -> Handler:
        async def handle(update: Update, context: Context) -> None:
            await self._run(command, update, context)

        return handle

    async def _run(self, command: Command, update: Update, context: Context) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        lang = await self.language(update)
        if command.manages_chat and not await self._may_manage(update, context, chat):
            await self.reply(update, context, Notice(t(lang, "subscribe.admins_only")), lang)
            return
        user = update.effective_user
        topic = topic_of(update.effective_message)
        where = Chat(
            PLATFORM,
            str(chat.id),
            user_id=str(user.id) if user else None,
            private=chat.type == ChatType.PRIVATE,
            topic=str(topic) if topic is not None else None,
        )
        request = Request(
            " ".join(context.args or ()),
            lang,
            where,
            await self.reader.reading_list(PLATFORM, where.chat_id),
        )
        reply = await execute(self.reader, command, request, observer=self.metrics)
        await self.reply(update, context, reply, lang)

    async def _may_manage(self, update: Update, context: Context, chat: TelegramChat) -> bool:
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
        shown = command[: cut_point(command, ECHOED_COMMAND_CHARS)]
        notice = Notice(t(lang, "unknown.command", command=shown))
        await self.reply(update, context, notice, lang)

    # -- buttons and inline mode ---------------------------------------------------------

    async def button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None:
            return
        lang = await self.language(update)
        action = decode(query.data or "")
        if action is None:  # forged or from an older version: say so on the button itself
            await query.answer(t(lang, "action.stale")[:TELEGRAM_CALLBACK_ANSWER_CHARS])
            return
        if isinstance(action, SetOption):  # a /settings toggle: a deliberate write
            await press_setting(self.reader.subscriptions, context, query, action, lang=lang)
            return
        await query.answer()  # first, before any slow work: the spinner stops at once
        reply = await self.reader.act(action, lang=lang)
        if reply is None:
            return
        message = query.message
        turned = isinstance(reply, FeedPage) or (
            isinstance(reply, ArticleView) and reply.show == "part"  # a pager's ‹ ›
        )
        if turned and isinstance(message, Message):
            [page] = reply_messages(
                with_reader_links(reply, self.web_base_url),
                lang=lang,
                bot_username=context.bot.username,
            )
            try:
                await message.edit_text(
                    page.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup(
                        page.keyboard, private=message.chat.type == ChatType.PRIVATE
                    ),
                    disable_web_page_preview=True,
                )
            except BadRequest as exc:
                if "not modified" not in str(exc).lower():  # double taps are harmless
                    raise
            return
        await self.reply(update, context, reply, lang)

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
            for article in inline_articles(
                with_reader_links(found, self.web_base_url),
                lang=lang,
                bot_username=context.bot.username,
                limit=size,
            ):
                results.append(
                    InlineQueryResultArticle(
                        id=article.id,
                        title=article.title,
                        description=article.description,
                        input_message_content=InputTextMessageContent(
                            article.message.text, parse_mode=ParseMode.HTML
                        ),
                        reply_markup=markup(article.message.keyboard),
                    )
                )
        button = None
        if isinstance(found, Notice) and text:  # nothing searchable typed: say so above
            hint = found.text[:TELEGRAM_INLINE_BUTTON_CHARS]
            button = InlineQueryResultsButton(text=hint, start_parameter=HELP_START)
        await query.answer(results, cache_time=30, is_personal=False, button=button)

    # -- errors --------------------------------------------------------------------------

    async def error(self, update: object, context: Context) -> None:
        """Log what went wrong (tokens are scrubbed by the log handler) and apologise."""
        error = context.error
        if isinstance(error, Forbidden):
            log.info("cannot write to a chat: %s", error)
            return
        if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
            # Telegram out of reach or failing (timeouts, resets, 5xx): expected, one line;
            # the apology below may still get through.
            log.warning("could not answer an update: %s: %s", type(error).__name__, error)
        else:
            log.error("error while handling an update", exc_info=error)
        if isinstance(update, Update) and update.effective_chat is not None:
            lang = await self.language(update)
            try:
                await context.bot.send_message(
                    update.effective_chat.id,
                    t(lang, "error.internal"),
                    message_thread_id=topic_of(update.effective_message),
                )
            except TelegramError:
                log.warning("could not tell the user about the error")
