-- newsfacts store, schema version 1: articles, entities (+ aliases, titles, per-article records,
-- mentions), quotes, claims, quantities, timexes, events (+ participants), ingest failures.
-- One file for DuckDB and PostgreSQL: only types and statements both accept.
-- Spans are character offsets into articles.text (Python str indices): *_start, *_end.
-- List-valued fields (quote parts, aliases per article, participants) are JSON text.
-- Fact tables repeat their article's day and story, so questions filter and group without a join.
-- Only keys here: DuckDB answers from column scans and zone maps, and secondary (ART) indexes would
-- slow its bulk inserts; PostgreSQL gets its secondary indexes in 002_indexes.postgres.sql.

CREATE SEQUENCE article_ids START 1;

CREATE TABLE articles (
    aid BIGINT PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL,
    url TEXT,
    version INTEGER NOT NULL,
    story BIGINT NOT NULL,
    title TEXT,
    published TEXT,
    day TEXT,
    source TEXT,
    language TEXT,
    text TEXT NOT NULL,
    errors TEXT NOT NULL,
    ingested_at TIMESTAMP NOT NULL
);

CREATE TABLE article_bands (
    band INTEGER NOT NULL,
    hash BIGINT NOT NULL,
    aid BIGINT NOT NULL,
    story BIGINT NOT NULL
);

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    n_articles BIGINT NOT NULL,
    n_mentions BIGINT NOT NULL
);

CREATE TABLE entity_aliases (
    entity_id TEXT NOT NULL,
    alias TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
);

CREATE TABLE entity_titles (
    entity_id TEXT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (entity_id, title)
);

CREATE TABLE article_entities (
    aid BIGINT NOT NULL,
    ord INTEGER NOT NULL,
    entity_id TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    aliases TEXT NOT NULL,
    titles TEXT NOT NULL,
    roles TEXT NOT NULL,
    n_mentions INTEGER NOT NULL
);

CREATE TABLE mentions (
    aid BIGINT NOT NULL,
    entity_id TEXT NOT NULL,
    ord INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL
);

CREATE TABLE quotes (
    aid BIGINT NOT NULL,
    ord INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    parts TEXT NOT NULL,
    speaker_start INTEGER,
    speaker_end INTEGER,
    speaker_text TEXT,
    speaker_entity TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    cue_text TEXT,
    addressee_start INTEGER,
    addressee_end INTEGER,
    addressee_text TEXT,
    channel_start INTEGER,
    channel_end INTEGER,
    channel_text TEXT,
    when_value TEXT,
    sent_start INTEGER,
    sent_end INTEGER,
    day TEXT,
    story BIGINT NOT NULL
);

CREATE TABLE claims (
    aid BIGINT NOT NULL,
    ord INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    source_start INTEGER,
    source_end INTEGER,
    source_text TEXT,
    source_entity TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    cue_text TEXT,
    when_value TEXT,
    sent_start INTEGER,
    sent_end INTEGER,
    day TEXT,
    story BIGINT NOT NULL
);

CREATE TABLE quantities (
    aid BIGINT NOT NULL,
    ord INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    value_low DOUBLE PRECISION NOT NULL,
    value_high DOUBLE PRECISION NOT NULL,
    is_range BOOLEAN NOT NULL,
    unit TEXT,
    normalized_unit TEXT,
    change TEXT NOT NULL,
    counts_start INTEGER,
    counts_end INTEGER,
    counts_text TEXT,
    source_entity TEXT,
    when_value TEXT,
    sent_start INTEGER,
    sent_end INTEGER,
    day TEXT,
    story BIGINT NOT NULL
);

CREATE TABLE timexes (
    aid BIGINT NOT NULL,
    ord INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    value TEXT NOT NULL,
    mod TEXT,
    anchor TEXT,
    sent_start INTEGER,
    sent_end INTEGER,
    day TEXT,
    story BIGINT NOT NULL
);

CREATE TABLE events (
    aid BIGINT NOT NULL,
    ord INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL,
    trigger TEXT NOT NULL,
    participants TEXT NOT NULL,
    when_value TEXT,
    sent_start INTEGER,
    sent_end INTEGER,
    day TEXT,
    story BIGINT NOT NULL
);

CREATE TABLE event_participants (
    aid BIGINT NOT NULL,
    event_ord INTEGER NOT NULL,
    entity_id TEXT NOT NULL
);

CREATE TABLE failures (
    item TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (item, message)
);
