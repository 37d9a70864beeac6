-- The durable outbox: one row per (post, subscription), created in the transaction that
-- publishes the post, so a delivery is never forgotten and never planned twice.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    post_id         INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      REAL NOT NULL DEFAULT 0,   -- unix time; retry_after and backoff land here
    claimed_at      REAL,
    sent_at         REAL,
    last_error      TEXT,
    created_at      REAL NOT NULL,
    UNIQUE (post_id, subscription_id)
);
CREATE INDEX outbox_due ON outbox (state, not_before, id);
