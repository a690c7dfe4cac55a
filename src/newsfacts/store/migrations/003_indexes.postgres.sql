-- newsfacts store, schema version 3 (PostgreSQL only): the story rows of quotes and claims in the order
-- the questions list them, the writer's lookup of a story's rows, and an entity's timeline in date order.
CREATE INDEX quotes_story_rows ON quotes (story_day, aid) WHERE first_in_story;
CREATE INDEX claims_story_rows ON claims (story_day, aid) WHERE first_in_story;
CREATE INDEX quotes_story ON quotes (story);
CREATE INDEX claims_story ON claims (story);
CREATE INDEX event_participants_entity_date ON event_participants (entity_id, date);
DROP INDEX IF EXISTS event_participants_entity;
-- Indexes the questions no longer use, each a cost on every write: word filters go through
-- word_index (trigram indexes), quotes and claims filter on story_day (day), timelines read
-- participant rows without joining events.
DROP INDEX IF EXISTS quotes_text_trgm;
DROP INDEX IF EXISTS claims_text_trgm;
DROP INDEX IF EXISTS quantities_counts_trgm;
DROP INDEX IF EXISTS quotes_day;
DROP INDEX IF EXISTS claims_day;
DROP INDEX IF EXISTS event_participants_event;
