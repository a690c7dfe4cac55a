-- newsfacts store, schema version 3 (PostgreSQL only): the story rows of quotes and claims in the order
-- the questions list them, the writer's lookup of a story's rows, and an entity's timeline in date order.
CREATE INDEX quotes_story_rows ON quotes (story_day, aid) WHERE first_in_story;
CREATE INDEX claims_story_rows ON claims (story_day, aid) WHERE first_in_story;
CREATE INDEX quotes_story ON quotes (story);
CREATE INDEX claims_story ON claims (story);
CREATE INDEX event_participants_entity_date ON event_participants (entity_id, date);
DROP INDEX IF EXISTS event_participants_entity;
