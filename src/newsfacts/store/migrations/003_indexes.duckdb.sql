-- newsfacts store, schema version 3 (DuckDB only): ART indexes for the lookups by entity on the two
-- largest tables the questions filter by key (PostgreSQL has had its own since version 2). DuckDB
-- cannot ALTER a table that has an index, so a later migration adding columns to these tables drops
-- and recreates them.
CREATE INDEX quotes_speaker_entity ON quotes (speaker_entity);
CREATE INDEX event_participants_entity_id ON event_participants (entity_id);
