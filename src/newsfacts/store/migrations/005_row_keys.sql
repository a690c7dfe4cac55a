-- newsfacts store, schema version 5: a row key on the tables questions page through. A question
-- picks its page of keys from narrow columns (ids, days, offsets), then reads only those rows in full
-- through an index on the key (version 6): in DuckDB, reading them by any other filter decompresses
-- the text blocks of every row group, since the rows of one speaker or word lie in all of them.
-- row_key = aid * 2^20 + n: n is ord for quotes, claims and quantities (the word index's ids), the
-- row's number among its article's rows for event participants.
ALTER TABLE quotes ADD COLUMN row_key BIGINT;
ALTER TABLE claims ADD COLUMN row_key BIGINT;
ALTER TABLE quantities ADD COLUMN row_key BIGINT;
ALTER TABLE event_participants ADD COLUMN row_key BIGINT;
UPDATE quotes SET row_key = aid * 1048576 + ord;
UPDATE claims SET row_key = aid * 1048576 + ord;
UPDATE quantities SET row_key = aid * 1048576 + ord;
UPDATE event_participants SET row_key = k.row_key
FROM (SELECT aid, event_ord, entity_id,
             aid * 1048576 + row_number() OVER (PARTITION BY aid ORDER BY event_ord, entity_id) - 1 AS row_key
      FROM event_participants) k
WHERE event_participants.aid = k.aid AND event_participants.event_ord = k.event_ord
  AND event_participants.entity_id = k.entity_id;
--
-- Which tables Store.optimize last rewrote in the order of their questions (CLUSTERED in base.py),
-- and how many rows they held then: rows written since are not in that order yet.
CREATE TABLE clustered (
    table_name TEXT PRIMARY KEY,
    row_count BIGINT NOT NULL,
    clustered_at TIMESTAMP NOT NULL
);
