"""Rendered messages onto python-telegram-bot's objects, and out to a chat."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ParseMode

from herald.core.actions import encode
from herald.render.telegram_replies import Keyboard, TelegramMessage


def markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(button.label, url=button.url)
            if button.url
            else InlineKeyboardButton(button.label, callback_data=encode(button.action))  # type: ignore[arg-type]
            for button in row
        ]
        for row in keyboard
        if row
    ]
    return InlineKeyboardMarkup(rows) if rows else None


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
                reply_markup=markup(message.keyboard),
                message_thread_id=thread_id,
                disable_notification=silent,
            )
    return await bot.send_message(
        chat_id,
        message.text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup(message.keyboard),
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
