"""Rendered messages onto python-telegram-bot's objects, and out to a chat."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
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


async def send(bot: Bot, chat_id: int, message: TelegramMessage) -> Message:
    if message.photo is not None:
        with message.photo.open("rb") as handle:
            return await bot.send_photo(
                chat_id,
                handle,
                caption=message.text or None,
                parse_mode=ParseMode.HTML,
                reply_markup=markup(message.keyboard),
            )
    return await bot.send_message(
        chat_id,
        message.text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup(message.keyboard),
        disable_web_page_preview=True,
    )
