-- Other names a post answers to (issue 16). A Jekyll or Hugo site gives a post its URL's
-- last segment as its slug (`permalink: /graph` → `graph`); the names it had before stay
-- reachable through this table: the path-based slug Herald gave the file until then (so
-- old `/read` links, deep links and shares keep working), the whole URL path as a slug,
-- and the site's own `redirect_from:` / `aliases:` entries. A name whose deep-link key
-- differs from it (a Chinese or over-long slug) is stored under that key too.
--
-- A post's slug always wins over another post's alias (lookups try slugs first), an
-- alias belongs to one post (the first file in path order to claim it), and a tombstone
-- holds none: its aliases go when it is buried and come back with its file.
CREATE TABLE post_aliases (
    alias   TEXT PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX post_aliases_by_post ON post_aliases (post_id);
