-- Weighted BM25 becomes the index's own rank (title 10, tags 5, body 1), so `ORDER BY rank`
-- can use FTS5's ranking directly.
INSERT INTO posts_fts (posts_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 1.0)');
-- From now on the index holds only what readers may see; drafts and scheduled posts are
-- indexed when they are published, so a search never has to join `posts` to filter.
DELETE FROM posts_fts WHERE rowid IN (
    SELECT id FROM posts WHERE draft = 1 OR published_at IS NULL
);
