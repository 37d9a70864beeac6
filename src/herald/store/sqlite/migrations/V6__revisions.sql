-- An edited post may be announced again ([push] notify_on_update): every announcement is a
-- revision, and the outbox plans at most one delivery per post, subscription and revision.
ALTER TABLE posts ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE outbox_new (
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
INSERT INTO outbox_new (id, post_id, subscription_id, state, attempts, not_before, claimed_at,
                        sent_at, last_error, created_at)
    SELECT id, post_id, subscription_id, state, attempts, not_before, claimed_at, sent_at,
           last_error, created_at
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (state, not_before, id);
