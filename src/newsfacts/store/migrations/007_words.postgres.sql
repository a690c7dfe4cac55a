-- newsfacts store, schema version 7 (PostgreSQL only): each indexed row keeps its words in a `words`
-- column with a GIN index, so a word filter is answered in the server (`words @> ARRAY[...]`); until
-- now a question fetched each word's row ids from word_index (up to hundreds of thousands for a
-- common word) and bound them back as one array. The words are those word_index held for the row
-- (sorted), which is then emptied: the PostgreSQL writer no longer fills it (DuckDB keeps using it).
ALTER TABLE articles ADD COLUMN words TEXT[];
ALTER TABLE quotes ADD COLUMN words TEXT[];
ALTER TABLE claims ADD COLUMN words TEXT[];
ALTER TABLE quantities ADD COLUMN words TEXT[];
UPDATE articles SET words = w.words
FROM (SELECT k, array_agg(substr(term, 3) ORDER BY term COLLATE "C") AS words FROM word_index, unnest(ids) AS k
      WHERE term LIKE 'a:%' GROUP BY k) w
WHERE articles.aid = w.k;
UPDATE quotes SET words = w.words
FROM (SELECT k, array_agg(substr(term, 3) ORDER BY term COLLATE "C") AS words FROM word_index, unnest(ids) AS k
      WHERE term LIKE 'q:%' GROUP BY k) w
WHERE quotes.row_key = w.k;
UPDATE claims SET words = w.words
FROM (SELECT k, array_agg(substr(term, 3) ORDER BY term COLLATE "C") AS words FROM word_index, unnest(ids) AS k
      WHERE term LIKE 'c:%' GROUP BY k) w
WHERE claims.row_key = w.k;
UPDATE quantities SET words = w.words
FROM (SELECT k, array_agg(substr(term, 3) ORDER BY term COLLATE "C") AS words FROM word_index, unnest(ids) AS k
      WHERE term LIKE 'n:%' GROUP BY k) w
WHERE quantities.row_key = w.k;
DELETE FROM word_index;
CREATE INDEX articles_words ON articles USING gin (words);
CREATE INDEX quantities_words ON quantities USING gin (words);
-- Quotes and claims: words and story_day in one GIN index (btree_gin, in schema public), so that
-- "--about X --since D" reads only the rows with the word in the date range. Without the right to
-- create btree_gin (or without the extension) the index is on the words alone: the same answers,
-- and rows out of the range are read and dropped.
DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS btree_gin SCHEMA public; EXECUTE 'CREATE INDEX quotes_words ON quotes USING gin (words, story_day)'; EXECUTE 'CREATE INDEX claims_words ON claims USING gin (words, story_day)'; EXCEPTION WHEN insufficient_privilege OR undefined_file OR undefined_object THEN RAISE NOTICE 'btree_gin not available: word indexes without story_day'; EXECUTE 'CREATE INDEX quotes_words ON quotes USING gin (words)'; EXECUTE 'CREATE INDEX claims_words ON claims USING gin (words)'; END $$;
