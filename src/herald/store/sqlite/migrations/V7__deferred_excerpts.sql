-- A card's excerpt may be rendered after its post is stored: a large sync indexes and lists
-- posts first and renders their excerpts afterwards (herald/store/excerpts.py). NULL means
-- "not rendered yet"; readers get it rendered on the spot meanwhile. SQLite cannot drop a
-- NOT NULL constraint, so the column is rebuilt (ALTER TABLE DROP COLUMN: SQLite 3.35+).
ALTER TABLE posts ADD COLUMN card_text TEXT;
UPDATE posts SET card_text = excerpt;
ALTER TABLE posts DROP COLUMN excerpt;
ALTER TABLE posts RENAME COLUMN card_text TO excerpt;
CREATE INDEX posts_without_excerpt ON posts (id) WHERE excerpt IS NULL;
