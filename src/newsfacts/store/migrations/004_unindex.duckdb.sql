-- newsfacts store, schema version 4 (DuckDB only): drop the ART indexes of the tables version 5 adds
-- a column to (DuckDB cannot ALTER a table that has an index); version 6 creates them again.
DROP INDEX IF EXISTS quotes_speaker_entity;
DROP INDEX IF EXISTS event_participants_entity_id;
