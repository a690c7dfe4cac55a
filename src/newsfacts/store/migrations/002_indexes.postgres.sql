-- newsfacts store, schema version 2 (PostgreSQL only): indexes for the questions' filters.
-- Lookups by article, entity and story key:
CREATE INDEX articles_url ON articles (url);
CREATE INDEX articles_doc_id ON articles (doc_id);
CREATE INDEX articles_story ON articles (story);
CREATE INDEX article_bands_key ON article_bands (band, hash);
CREATE INDEX article_entities_aid ON article_entities (aid);
CREATE INDEX article_entities_entity ON article_entities (entity_id);
CREATE INDEX mentions_aid ON mentions (aid);
CREATE INDEX quotes_aid ON quotes (aid);
CREATE INDEX quotes_speaker ON quotes (speaker_entity);
CREATE INDEX claims_aid ON claims (aid);
CREATE INDEX claims_source ON claims (source_entity);
CREATE INDEX quantities_aid ON quantities (aid);
CREATE INDEX timexes_aid ON timexes (aid);
CREATE INDEX events_aid ON events (aid);
CREATE INDEX event_participants_entity ON event_participants (entity_id);
-- Filters:
-- Case-insensitive name lookups, publication-day ranges, and trigram indexes (pg_trgm, in schema
-- public) for the ILIKE word filters. Without the right to create pg_trgm the trigram indexes are
-- skipped (questions stay correct, only slower): hence the DO block with its own exception handler.
CREATE INDEX articles_day ON articles (day);
CREATE INDEX articles_lower_source ON articles (lower(source));
CREATE INDEX quotes_day ON quotes (day);
CREATE INDEX claims_day ON claims (day);
CREATE INDEX quantities_day ON quantities (day);
CREATE INDEX event_participants_event ON event_participants (aid, event_ord);
CREATE INDEX entities_lower_name ON entities (lower(name));
CREATE INDEX entity_aliases_lower ON entity_aliases (lower(alias));
CREATE INDEX quotes_lower_speaker ON quotes (lower(speaker_text));
CREATE INDEX claims_lower_source ON claims (lower(source_text));
CREATE INDEX quantities_source ON quantities (source_entity);
DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public; EXECUTE 'CREATE INDEX quotes_text_trgm ON quotes USING gin (text public.gin_trgm_ops)'; EXECUTE 'CREATE INDEX claims_text_trgm ON claims USING gin (text public.gin_trgm_ops)'; EXECUTE 'CREATE INDEX quantities_counts_trgm ON quantities USING gin (counts_text public.gin_trgm_ops)'; EXCEPTION WHEN insufficient_privilege OR undefined_file OR undefined_object THEN RAISE NOTICE 'pg_trgm not available: word filters will scan'; END $$;
