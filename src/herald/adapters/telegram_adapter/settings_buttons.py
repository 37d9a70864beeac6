"""A /settings toggle pressed on Telegram: who may press it, and the edit in place.

Anyone can press a button on a message they can see, so a toggle checks the person
pressing, not the chat: in a private chat it is the chat's owner; in a group or a channel
only its administrators and owner (asked with `getChatMember` on every press, never
cached: rights change).  In a channel this matters more than for `/subscribe`, whose
command only administrators can post, since every subscriber can press.  The chat and
topic are the pressed message's own, never the payload's.
"""

from __future__ import annotations

from telegram import CallbackQuery, Message
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from herald.core.actions import SetOption
from herald.core.i18n import t
from herald.core.ports import Subscriptions
from herald.core.settings import apply
from herald.limits import TELEGRAM_CALLBACK_ANSWER_CHARS
from herald.render.telegram_replies import notice_message

from .wire import markup, topic_of

PLATFORM = "telegram"
_MANAGERS = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def may_press(context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery) -> bool:
    message = query.message
    if not isinstance(message, Message):
        return False
    if message.chat.type == ChatType.PRIVATE:
        return True
    member = await context.bot.get_chat_member(message.chat.id, query.from_user.id)
    return member.status in _MANAGERS


async def press_setting(
    subscriptions: Subscriptions,
    context: ContextTypes.DEFAULT_TYPE,
    query: CallbackQuery,
    change: SetOption,
    *,
    lang: str,
) -> None:
    """Refused: said on the button (an alert), nothing stored.  Otherwise the option is
    stored and the settings message shows it, edited in place."""
    message = query.message
    if not isinstance(message, Message) or not await may_press(context, query):
        refusal = t(lang, "subscribe.admins_only")[:TELEGRAM_CALLBACK_ANSWER_CHARS]
        await query.answer(refusal, show_alert=True)
        return
    topic = topic_of(message)
    notice = await apply(
        subscriptions,
        PLATFORM,
        str(message.chat.id),
        change,
        topic=str(topic) if topic is not None else None,
        lang=lang,
    )
    if notice.is_error:  # the store refused the write: nothing changed on screen either
        await query.answer(notice.text[:TELEGRAM_CALLBACK_ANSWER_CHARS], show_alert=True)
        return
    await query.answer()
    rendered = notice_message(notice)
    try:
        await message.edit_text(
            rendered.text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup(rendered.keyboard),
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():  # pressing the current choice again
            raise
