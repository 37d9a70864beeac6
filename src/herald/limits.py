"""Every platform limit Herald respects, in one place.

Sources: Telegram Bot API docs (sendMessage, InlineKeyboardButton, answerInlineQuery,
sendPhoto) and Discord's API reference (message, embed and component limits).
"""

from typing import Final

TELEGRAM_MESSAGE_CHARS: Final = 4096
"""Text length after entity parsing, counted in UTF-16 code units."""
TELEGRAM_CAPTION_CHARS: Final = 1024
TELEGRAM_CALLBACK_DATA_BYTES: Final = 64
TELEGRAM_START_PAYLOAD_CHARS: Final = 64
TELEGRAM_INLINE_RESULTS: Final = 50

DISCORD_MESSAGE_CHARS: Final = 2000
DISCORD_EMBED_DESCRIPTION_CHARS: Final = 4096
DISCORD_EMBED_TITLE_CHARS: Final = 256
DISCORD_EMBEDS_TOTAL_CHARS: Final = 6000
DISCORD_EMBEDS_PER_MESSAGE: Final = 10
DISCORD_CUSTOM_ID_CHARS: Final = 100
DISCORD_ACTION_ROWS: Final = 5
DISCORD_COMPONENTS_PER_ROW: Final = 5

PAYLOAD_BYTES: Final = TELEGRAM_CALLBACK_DATA_BYTES
"""Action payloads are shared by every platform, so they obey the tightest limit."""

EXCERPT_CHARS: Final = 350
"""Default excerpt length, in grapheme clusters, matching the reference feed."""
