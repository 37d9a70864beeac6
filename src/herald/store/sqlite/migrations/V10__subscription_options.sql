-- A subscription belongs to a chat *or one topic of it* (a Telegram forum topic,
-- `message_thread_id`; '' is the chat itself), so the key becomes (platform, chat, topic),
-- and it carries how its pushes are sent: silently or not, as a card, the whole article or
-- the title only, with or without a link preview (the defaults are what Herald did before).
--
-- SQLite cannot change a UNIQUE constraint, so the table is rebuilt. Dropping a parent
-- table would delete its rows first and cascade into the outbox, so the old table is
-- renamed (the outbox's REFERENCES follow it), the outbox is rebuilt against the new table,
-- and only then is the old one dropped, with nothing referring to it. Ids are kept.
ALTER TABLE subscriptions RENAME TO subscriptions_v9;

CREATE TABLE subscriptions (
    id           INTEGER PRIMARY KEY,
    platform     TEXT NOT NULL,
    chat_id      TEXT NOT NULL,
    topic        TEXT NOT NULL DEFAULT '',
    tags         TEXT NOT NULL DEFAULT '[]',  -- JSON array of tag keys; empty = everything
    language     TEXT,
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL,
    silent       INTEGER NOT NULL DEFAULT 0,
    send_mode    TEXT NOT NULL DEFAULT 'card' CHECK (send_mode IN ('card', 'article', 'title')),
    link_preview INTEGER NOT NULL DEFAULT 0,
    UNIQUE (platform, chat_id, topic)
);
INSERT INTO subscriptions (id, platform, chat_id, tags, language, active, created_at)
    SELECT id, platform, chat_id, tags, language, active, created_at FROM subscriptions_v9;

CREATE TABLE outbox_v10 (
    id              INTEGER PRIMARY KEY,
    post_id         INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    revision        INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      REAL NOT NULL DEFAULT 0,
    claimed_at      REAL,
    sent_at         REAL,
    last_error      TEXT,
    created_at      REAL NOT NULL,
    UNIQUE (post_id, subscription_id, revision)
);
INSERT INTO outbox_v10 (id, post_id, subscription_id, revision, state, attempts, not_before,
                        claimed_at, sent_at, last_error, created_at)
    SELECT id, post_id, subscription_id, revision, state, attempts, not_before, claimed_at,
           sent_at, last_error, created_at
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v10 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (state, not_before, id);

DROP TABLE subscriptions_v9;
