"""Rendered messages onto python-telegram-bot's objects, and out to a chat."""

from __future__ import annotations

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    WebAppInfo,
)
from telegram.constants import ParseMode

from herald.core.actions import encode
from herald.core.views import Button
from herald.render.telegram_replies import Keyboard, TelegramMessage


def markup(keyboard: Keyboard, *, private: bool = False) -> InlineKeyboardMarkup | None:
    """`private`: the chat is a person's, where a reader button may open as a Mini App."""
    rows = [[_button(button, private) for button in row] for row in keyboard if row]
    return InlineKeyboardMarkup(rows) if rows else None


def _button(button: Button, private: bool) -> InlineKeyboardButton:
    if button.url and button.opens_reader and private and button.url.startswith("https://"):
        # Telegram allows web_app buttons only in private chats, and only over HTTPS.
        return InlineKeyboardButton(button.label, web_app=WebAppInfo(button.url))
    if button.url:
        return InlineKeyboardButton(button.label, url=button.url)
    return InlineKeyboardButton(button.label, callback_data=encode(button.action))  # type: ignore[arg-type]


async def send(
    bot: Bot,
    chat_id: int,
    message: TelegramMessage,
    *,
    thread_id: int | None = None,
    silent: bool = False,
    preview_url: str | None = None,
) -> Message:
    """Send one rendered message.  `thread_id`: the forum topic it goes to (None: the
    chat itself, or a forum's General topic); `silent`: no notification sound;
    `preview_url`: the one link to preview (None: no preview at all)."""
    if message.photo is not None:
        with message.photo.open("rb") as handle:
            return await bot.send_photo(
                chat_id,
                handle,
                caption=message.text or None,
                parse_mode=ParseMode.HTML,
                reply_markup=markup(message.keyboard, private=chat_id > 0),
                message_thread_id=thread_id,
                disable_notification=silent,
            )
    return await bot.send_message(
        chat_id,
        message.text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup(message.keyboard, private=chat_id > 0),  # users' ids are > 0
        link_preview_options=link_preview(preview_url),
        message_thread_id=thread_id,
        disable_notification=silent,
    )


def link_preview(url: str | None) -> LinkPreviewOptions:
    if url is None:
        return LinkPreviewOptions(is_disabled=True)
    return LinkPreviewOptions(is_disabled=False, url=url)


def topic_of(message: object) -> int | None:
    """The forum topic a message was sent in, to answer in the same topic.  Only forum
    topics count: in other supergroups `message_thread_id` names a reply thread, and an
    answer there belongs in the chat."""
    if isinstance(message, Message) and message.is_topic_message:
        return message.message_thread_id
    return None
