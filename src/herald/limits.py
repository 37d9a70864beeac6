"""Every platform limit Herald respects, and its own bounds, in one place.

Sources: Telegram Bot API docs (sendMessage, InlineKeyboardButton, answerInlineQuery,
sendPhoto) and its Bot FAQ (flood limits); Discord's API reference (message, embed,
component and rate limits).
"""

from typing import Final

TELEGRAM_MESSAGE_CHARS: Final = 4096
"""Text length after entity parsing, counted in UTF-16 code units."""
TELEGRAM_CAPTION_CHARS: Final = 1024
TELEGRAM_CALLBACK_DATA_BYTES: Final = 64
TELEGRAM_CALLBACK_ANSWER_CHARS: Final = 200
TELEGRAM_INLINE_RESULTS: Final = 50
TELEGRAM_INLINE_DESCRIPTION_CHARS: Final = 200
TELEGRAM_INLINE_BUTTON_CHARS: Final = 64
"""The text of the button above inline results (`InlineQueryResultsButton`)."""
TELEGRAM_PHOTO_BYTES: Final = 10 * 1024 * 1024
TELEGRAM_MESSAGES_PER_SECOND: Final = 30.0
TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND: Final = 1.0
TELEGRAM_GROUP_MESSAGES_PER_MINUTE: Final = 20.0

DISCORD_MESSAGE_CHARS: Final = 2000
DISCORD_EMBED_DESCRIPTION_CHARS: Final = 4096
DISCORD_EMBED_TITLE_CHARS: Final = 256
DISCORD_EMBED_FOOTER_CHARS: Final = 2048
DISCORD_EMBEDS_TOTAL_CHARS: Final = 6000
DISCORD_EMBEDS_PER_MESSAGE: Final = 10
DISCORD_CUSTOM_ID_CHARS: Final = 100
DISCORD_BUTTON_LABEL_CHARS: Final = 80
DISCORD_ACTION_ROWS: Final = 5
DISCORD_COMPONENTS_PER_ROW: Final = 5
DISCORD_CHOICES: Final = 25
DISCORD_CHOICE_CHARS: Final = 100
DISCORD_ATTACHMENTS: Final = 10
DISCORD_ATTACHMENT_BYTES: Final = 8 * 1024 * 1024
DISCORD_ATTACHMENT_DESCRIPTION_CHARS: Final = 1024
DISCORD_MESSAGES_PER_SECOND: Final = 40.0
"""Below the 50 requests a second Discord allows a bot in all."""
DISCORD_MESSAGES_PER_CHANNEL_PER_SECOND: Final = 4.0

PAYLOAD_BYTES: Final = TELEGRAM_CALLBACK_DATA_BYTES
"""Action payloads are shared by every platform, so they obey the tightest limit."""

EXCERPT_CHARS: Final = 350
"""Default excerpt length, in grapheme clusters, matching the reference feed."""
MAX_PAGE_SIZE: Final = 12
"""Cards a page may hold (the reference feed shows 10-12); Discord's pages hold at most
DISCORD_EMBEDS_PER_MESSAGE whatever the setting, numbered that way on Discord."""
MAX_POST_BYTES: Final = 2 * 1024 * 1024
"""A file larger than this is reported, not read."""
MAX_QUERY_CHARS: Final = 200
MAX_TAG_CHARS: Final = 100

# -- group C (issue 14): bounded inputs, connecting at start --------------------------------
MAX_TAGS_PER_SUBSCRIPTION: Final = 20
"""Tags one chat's subscription may filter on; a `/subscribe` beyond it stores nothing."""
CONNECT_RETRY_FIRST_SECONDS: Final = 1.0
"""A platform unreachable at start is tried again after this, doubling each attempt…"""
CONNECT_RETRY_MAX_SECONDS: Final = 60.0
"""…up to this; the rest of the service runs meanwhile."""
NOT_CONNECTED_RETRY_SECONDS: Final = 5.0
"""A push to a platform that is not connected yet waits this long (not counted as a failure)."""
ECHOED_COMMAND_CHARS: Final = 40
"""An unknown command is quoted back ("Unknown command /…") cut to this many characters."""

# -- group B (issue 14): bounded work, mass removals -------------------------------------
PARSE_BUDGET_SECONDS: Final = 2.0
"""Time one post's parse and render may take, plus PARSE_BUDGET_SECONDS_PER_MB of its size;
over it, the post is served as plain text.  Real posts parse at ~2 s/MB on one core (the
largest of the ICLR corpus, 93 KB, in 0.18 s); 300 KB of `[` took 10 s."""
PARSE_BUDGET_SECONDS_PER_MB: Final = 4.0
PARSE_DEADLINE_GRACE_SECONDS: Final = 2.0
"""A worker that has not answered this long after its call's budget is stuck where no
budget reaches (C code): it is killed and replaced."""
PARSE_WORKERS: Final = 2
"""Worker processes that parse for the service (articles, cards rendered on the spot)."""
MAX_REMOVAL_SHARE: Final = 0.5
"""A sync that would remove more than this share of the stored posts at once (or all of
them) waits for the folder to settle: an emptied folder is more often a checkout, a mount
or an rsync in progress than an author deleting half the blog."""

# -- group E (issue 15): long articles as a pager ------------------------------------------
PAGE_SIZE: Final = 10
"""Cards a page holds by default, as in the reference feed (`[bot] page_size`)."""
ARTICLE_MESSAGES: Final = 3
"""An article that needs more messages than this is one message with ‹ › (a pager),
unless the reader asks for "send all" (`[bot] max_article_messages`)."""
MAX_ARTICLE_PART: Final = 9_999
"""The highest part a pager button may name (a 2 MB post is ~1,100 Discord parts)."""
PAGER_FRAME_CHARS: Final = 120
"""Kept free in every part of an article (Telegram units, Discord characters) for the
title repeated at the top of parts after the first and the part indicator below."""
PAGER_TITLE_CHARS: Final = 80
"""The title repeated at the top of a part is cut to this."""
CONSOLE_PART_CHARS: Final = 3000
"""A part of an article in the terminal: about two screens."""

# -- group F (issue 15): tags that work when tapped -----------------------------------------
DISCORD_SELECT_OPTIONS: Final = 25
"""Options one select menu may hold (a select takes a whole action row)."""
DISCORD_SELECT_OPTION_CHARS: Final = 100
"""An option's label, and its value, at most."""

# -- group D (issue 15): one send budget per bot token ------------------------------------
TELEGRAM_CHAT_BURST: Final = 4
"""Messages a quiet chat may get at once before its 1/s (20/min in a group) applies: the
Bot FAQ allows short bursts ("eventually you'll begin receiving 429 errors")."""
MAX_CHAT_BURST: Final = 20
"""`[telegram] max_burst_per_chat` at most: a group's whole minute."""

# -- issue 17: search result snippets -----------------------------------------------------
SEARCH_SNIPPET_CHARS: Final = 160
"""A search result card shows this much of the post around its best hit (characters)."""
SEARCH_SNIPPET_LEAD: Final = 40
"""Of which this much comes before the hit, so it is read in its sentence."""
SEARCH_SNIPPET_INLINE_CHARS: Final = 32 * 1024
"""A page of results whose bodies are longer in all is cut into snippets in a thread, off
the event loop (a 2 MB post takes ~140 ms)."""

# -- issue 20: the web reader ----------------------------------------------------------------
WEB_PORT: Final = 8080
"""`[web] listen` without a `port` serves here."""
WEB_PAGE_SIZE: Final = 20
"""Posts a page of the web feed, tag and search lists."""
WEB_CACHED_BYTES: Final = 64 * 1024 * 1024
"""Rendered article pages kept in memory (each revision once, plain and compressed), so
a page is a lookup; the least recently read go first past this."""
WEB_INIT_DATA_MAX_AGE: Final = 86_400
"""A Telegram Mini App's signed launch data is trusted for this many seconds."""
WEB_INIT_DATA_CHARS: Final = 16_384

# -- issue 19: one send budget per token across replicas (PostgreSQL) ---------------------
SHARED_BUDGET_REPLY_SHARE: Final = 1 / 6
"""Of a token's overall window, the share pushes never take when replicas share the budget
(5 of Telegram's 30 a second): a reply on one replica never waits behind a broadcast
another replica sends, which it cannot see queueing.  Replies may also take whatever the
pushes leave."""
SEND_LEASE_SECONDS: Final = 30.0
"""A send's turn counts as in flight at most this long (past python-telegram-bot's
timeouts): the turns of a replica that died mid-send come free after it."""
SHARED_BUDGET_POLL_SECONDS: Final = 0.025
"""A replica waiting for a chat another replica has a message in flight to asks again this
often (it cannot be told when that message is answered)."""

# -- issue 19: replicas on one database ---------------------------------------------------
LEASE_SECONDS: Final = 120.0
"""How long an outbox claim is a replica's before others may take it back (`[push]
lease_seconds`): renewed at every claim and every 30 s while a drain runs, so only a dead
or frozen replica loses its claims; short enough that its few in-flight deliveries are
not stuck for long."""
