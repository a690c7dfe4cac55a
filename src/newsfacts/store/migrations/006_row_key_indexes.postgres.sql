-- newsfacts store, schema version 6 (PostgreSQL only): an index on each row key, and indexes that
-- serve a speaker's or source's story rows in the order the questions list them (without them
-- PostgreSQL walks the day index of every story row filtering for the speaker, or sorts all of the
-- speaker's rows).
CREATE INDEX quotes_row_key ON quotes (row_key);
CREATE INDEX claims_row_key ON claims (row_key);
CREATE INDEX quantities_row_key ON quantities (row_key);
CREATE INDEX event_participants_row_key ON event_participants (row_key);
CREATE INDEX quotes_speaker_story_rows ON quotes (speaker_entity, story_day, aid, start_char) WHERE first_in_story;
CREATE INDEX claims_source_story_rows ON claims (source_entity, story_day, aid, start_char) WHERE first_in_story;
-- Pages in the order numbers and article searches list them, scanned in that order with the bound
-- ids as a hashed filter (stops at the page) rather than sorting every match of a frequent word.
CREATE INDEX quantities_when_rows ON quantities ((coalesce(when_value, day)), aid, start_char);
CREATE INDEX articles_newest ON articles (day DESC NULLS LAST, aid);
