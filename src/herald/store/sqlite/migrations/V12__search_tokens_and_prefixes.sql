-- Search index, version 2 (issue 17): tokens split at every script boundary (Latin↔Han,
-- letters↔digits: `LoRA微调` → `lora 微调`, `FP8` → `fp 8`; see herald/indexing/tokens.py)
-- and prefix indexes for 3- to 5-character prefixes, so a reader's `fla*` or `quant*` reads
-- one doclist instead of merging those of every term it starts.  (A 2-character index
-- would copy every CJK bigram's postings, doubling the index, for prefixes Herald does not
-- search.)  The old rows were tokenised another way and cannot be re-tokenised in SQL:
-- the table starts empty and the next sync reads every file again (`INDEX_FORMAT` in
-- herald/indexing/sync.py changed with it).  Ranking no longer uses BM25
-- (herald/store/sqlite/search.py), so no rank is configured.
DROP TABLE posts_fts;
CREATE VIRTUAL TABLE posts_fts USING fts5 (
    title, tags, body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '3 4 5'
);
