-- Removal is not forgetting. A post whose file disappears keeps its row as a tombstone:
-- `draft = 2`, no body, no tags, no search entry, so the one visibility rule every query
-- asks (`draft = 0`) never shows it, no index of shown posts holds it and nothing
-- publishes it. When a file comes back with its path, or with its slug under another path
-- (a rename), it takes that row again: the same id (old buttons and pushes open it), the
-- same `published_at` and `revision`, so it is never announced twice. `draft` now reads:
-- 0 shown once its date has come, 1 a draft, 2 removed. Existing rows are all 0 or 1.
--
-- A post whose render took longer than its time budget is served as plain text; the
-- reason is kept with its source, like a failure's, so every sync can report it.
ALTER TABLE sources ADD COLUMN warning TEXT;
CREATE INDEX sources_warned ON sources (path) WHERE warning IS NOT NULL;
