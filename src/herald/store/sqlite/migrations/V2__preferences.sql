-- Per-user choices that must survive restarts (the /language override).
CREATE TABLE preferences (
    platform  TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    language  TEXT NOT NULL,
    PRIMARY KEY (platform, user_id)
);
