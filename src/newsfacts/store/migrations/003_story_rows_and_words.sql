-- newsfacts store, schema version 3: what the questions used to compute over every row at query time,
-- kept by the writer instead (each batch in its own transaction, so a killed run leaves it consistent).
--
-- Quotes and claims once per story: the first stored row of each (story, text) is its story's row
-- (first_in_story), carrying the number of stored copies and the earliest day among them; later
-- copies get first_in_story = FALSE and no counts. Stories never merge (an article joins the earliest
-- matching story when it is written), so a story's row never changes, only its counts.
ALTER TABLE quotes ADD COLUMN first_in_story BOOLEAN;
ALTER TABLE quotes ADD COLUMN copies INTEGER;
ALTER TABLE quotes ADD COLUMN story_day TEXT;
ALTER TABLE claims ADD COLUMN first_in_story BOOLEAN;
ALTER TABLE claims ADD COLUMN copies INTEGER;
ALTER TABLE claims ADD COLUMN story_day TEXT;
UPDATE quotes SET first_in_story = (g.nth = 1), copies = CASE WHEN g.nth = 1 THEN g.n END,
    story_day = CASE WHEN g.nth = 1 THEN g.first_day END
FROM (SELECT aid, ord, row_number() OVER (PARTITION BY story, text ORDER BY aid, start_char, ord) AS nth,
             count(*) OVER (PARTITION BY story, text) AS n, min(day) OVER (PARTITION BY story, text) AS first_day
      FROM quotes) g
WHERE quotes.aid = g.aid AND quotes.ord = g.ord;
UPDATE claims SET first_in_story = (g.nth = 1), copies = CASE WHEN g.nth = 1 THEN g.n END,
    story_day = CASE WHEN g.nth = 1 THEN g.first_day END
FROM (SELECT aid, ord, row_number() OVER (PARTITION BY story, text ORDER BY aid, start_char, ord) AS nth,
             count(*) OVER (PARTITION BY story, text) AS n, min(day) OVER (PARTITION BY story, text) AS first_day
      FROM claims) g
WHERE claims.aid = g.aid AND claims.ord = g.ord;
--
-- An entity's quotes and claims counted as they are written (like n_articles), not per page view.
ALTER TABLE entities ADD COLUMN n_quotes BIGINT;
ALTER TABLE entities ADD COLUMN n_claims BIGINT;
UPDATE entities SET n_quotes = (SELECT count(*) FROM quotes WHERE quotes.speaker_entity = entities.id),
    n_claims = (SELECT count(*) FROM claims WHERE claims.source_entity = entities.id);
--
-- A participant row carries its event's date (its own time, else the article's day) and what a
-- timeline shows of it, so an entity's timeline reads this table alone, not every event.
ALTER TABLE event_participants ADD COLUMN date TEXT;
ALTER TABLE event_participants ADD COLUMN text TEXT;
ALTER TABLE event_participants ADD COLUMN trigger TEXT;
ALTER TABLE event_participants ADD COLUMN day TEXT;
ALTER TABLE event_participants ADD COLUMN story BIGINT;
ALTER TABLE event_participants ADD COLUMN start_char INTEGER;
ALTER TABLE event_participants ADD COLUMN end_char INTEGER;
ALTER TABLE event_participants ADD COLUMN sent_start INTEGER;
ALTER TABLE event_participants ADD COLUMN sent_end INTEGER;
UPDATE event_participants SET date = coalesce(e.when_value, e.day), text = e.text, trigger = e.trigger, day = e.day,
    story = e.story, start_char = e.start_char, end_char = e.end_char, sent_start = e.sent_start, sent_end = e.sent_end
FROM events e WHERE e.aid = event_participants.aid AND e.ord = event_participants.event_ord;
--
-- A word index: for each term, the ids holding it, one row per term and write batch. A term is a
-- lower-cased word (a run of letters and digits) with a prefix naming what holds it: "a:" an
-- article's title or text (ids are article ids), "q:" / "c:" the text of a quote / claim story row,
-- "n:" what a quantity counts and its unit (ids are aid * 65536 + ord). Questions look words up here
-- instead of scanning every text (DuckDB has no full-text index without its fts extension). The
-- writer fills it; opening an older store fills it from the stored rows (Store._migrate).
CREATE TABLE word_index (
    term TEXT NOT NULL,
    ids BIGINT[] NOT NULL
);
CREATE INDEX word_index_term ON word_index (term);
