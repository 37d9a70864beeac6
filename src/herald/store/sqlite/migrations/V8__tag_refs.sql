-- Buttons name a tag by a hash of its casefolded name (herald.core.actions.tag_ref), so
-- making a button writes nothing; this column finds the tag again from that hash. The
-- sync fills it for new rows; `herald_tag_ref` is the same function, registered on the
-- connection, for the rows already stored.
ALTER TABLE post_tags ADD COLUMN tag_ref TEXT;
UPDATE post_tags SET tag_ref = herald_tag_ref(tag_key);
CREATE INDEX post_tags_by_ref ON post_tags (tag_ref);

-- The list a command last showed in a chat, so `/read <n>` counts in it on any replica.
CREATE TABLE reading_lists (
    platform  TEXT NOT NULL,
    chat_id   TEXT NOT NULL,
    payload   TEXT NOT NULL,
    PRIMARY KEY (platform, chat_id)
);
