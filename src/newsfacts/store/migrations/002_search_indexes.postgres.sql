-- newsfacts store, schema version 2 (PostgreSQL only): indexes for the questions' filters.
-- Case-insensitive name lookups, publication-day ranges, and trigram indexes (pg_trgm, in schema
-- public) for the ILIKE word filters. Without the right to create pg_trgm the trigram indexes are
-- skipped (questions stay correct, only slower): hence the DO block with its own exception handler.
CREATE INDEX articles_day ON articles (day);
CREATE INDEX entities_lower_name ON entities (lower(name));
CREATE INDEX entity_aliases_lower ON entity_aliases (lower(alias));
CREATE INDEX quotes_lower_speaker ON quotes (lower(speaker_text));
CREATE INDEX claims_lower_source ON claims (lower(source_text));
CREATE INDEX quantities_source ON quantities (source_entity);
DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public; EXECUTE 'CREATE INDEX quotes_text_trgm ON quotes USING gin (text public.gin_trgm_ops)'; EXECUTE 'CREATE INDEX claims_text_trgm ON claims USING gin (text public.gin_trgm_ops)'; EXECUTE 'CREATE INDEX quantities_counts_trgm ON quantities USING gin ((coalesce(counts_text, '''') || '' '' || text || '' '' || coalesce(unit, '''')) public.gin_trgm_ops)'; EXCEPTION WHEN insufficient_privilege OR undefined_file OR undefined_object THEN RAISE NOTICE 'pg_trgm not available: word filters will scan'; END $$;
