-- A counter bumped by every change to what a listing or a sign-in check reads, so readers can cache
-- by it: equal counters mean equal data. Triggers keep it right whoever writes (server, CLI, import).
CREATE TABLE meta (
    name   TEXT    PRIMARY KEY,
    value  INTEGER NOT NULL
) STRICT;

INSERT INTO meta (name, value) VALUES ('generation', 1);

CREATE TRIGGER events_insert_generation AFTER INSERT ON events
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;

CREATE TRIGGER events_update_generation AFTER UPDATE ON events
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;

CREATE TRIGGER events_delete_generation AFTER DELETE ON events
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;

CREATE TRIGGER aliases_insert_generation AFTER INSERT ON slug_aliases
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;

CREATE TRIGGER credentials_insert_generation AFTER INSERT ON credentials
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;

CREATE TRIGGER credentials_update_generation AFTER UPDATE ON credentials
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;

CREATE TRIGGER revoked_tokens_insert_generation AFTER INSERT ON revoked_tokens
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;
