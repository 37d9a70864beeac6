-- Small partial indexes for questions every sync asks: which posts wait for their date, and
-- which files are broken. Without them a one-file sync scans 100k rows twice.
CREATE INDEX posts_unpublished ON posts (date) WHERE published_at IS NULL AND draft = 0;
CREATE INDEX sources_failed ON sources (path) WHERE error IS NOT NULL;
