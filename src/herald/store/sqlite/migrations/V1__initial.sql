-- Herald schema, version 1: posts, their source files, tags, full-text index, subscriptions.

-- One row per file seen in the content folder, loaded or not, so unchanged files are skipped
-- on the next sync (by size + mtime, then by content hash) and broken ones keep their reason.
CREATE TABLE sources (
    path      TEXT PRIMARY KEY,
    size      INTEGER NOT NULL,
    mtime_ns  INTEGER NOT NULL,
    sha256    TEXT NOT NULL,
    error     TEXT
);

CREATE TABLE posts (
    id           INTEGER PRIMARY KEY,
    path         TEXT NOT NULL UNIQUE,
    slug         TEXT NOT NULL UNIQUE,
    link_key     TEXT NOT NULL UNIQUE,  -- deep-link-safe stable token derived from the slug
    title        TEXT NOT NULL,
    date         INTEGER NOT NULL,      -- unix seconds, UTC
    updated      INTEGER,
    tags         TEXT NOT NULL,         -- JSON array, display order
    summary      TEXT,
    excerpt      TEXT NOT NULL,
    lang         TEXT NOT NULL,
    draft        INTEGER NOT NULL,
    body         TEXT NOT NULL,
    published_at INTEGER                -- when readers could first see it (NULL: not yet)
);
CREATE INDEX posts_by_date ON posts (draft, date DESC, id DESC);

CREATE TABLE post_tags (
    post_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    tag_key  TEXT NOT NULL,             -- casefolded, for lookups
    PRIMARY KEY (post_id, tag_key)
);
CREATE INDEX post_tags_by_tag ON post_tags (tag_key, post_id);

-- rowid = posts.id. CJK runs are stored as overlapping bigrams (see store/cjk.py), so the
-- stock unicode61 tokenizer finds two-character Chinese words as well as English ones.
CREATE VIRTUAL TABLE posts_fts USING fts5 (
    title, tags, body,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Queries and tags too long for a 64-byte button payload are referenced by a short key.
CREATE TABLE saved_queries (
    key    TEXT PRIMARY KEY,
    kind   TEXT NOT NULL,
    text   TEXT NOT NULL
);

CREATE TABLE subscriptions (
    id         INTEGER PRIMARY KEY,
    platform   TEXT NOT NULL,
    chat_id    TEXT NOT NULL,
    tags       TEXT NOT NULL DEFAULT '[]',  -- JSON array of tag keys; empty = everything
    language   TEXT,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    UNIQUE (platform, chat_id)
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
