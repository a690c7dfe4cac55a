-- newsfacts store, schema version 6 (DuckDB only): the ART indexes version 4 dropped, and one on each
-- row key (in its own transaction: DuckDB creates no index in a transaction that updated rows).
CREATE INDEX quotes_speaker_entity ON quotes (speaker_entity);
CREATE INDEX event_participants_entity_id ON event_participants (entity_id);
CREATE INDEX quotes_row_key ON quotes (row_key);
CREATE INDEX claims_row_key ON claims (row_key);
CREATE INDEX quantities_row_key ON quantities (row_key);
CREATE INDEX event_participants_row_key ON event_participants (row_key);
