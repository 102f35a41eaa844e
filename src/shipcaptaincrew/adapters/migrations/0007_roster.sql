-- The roster (ships, captains and crew) and events that point at it instead of holding typed names.
-- Existing names become roster entries: each distinct ship name a ship (its capacity the largest party it
-- carried, so no old charter turns into a conflict; the dispatcher corrects it), each captain name a captain,
-- each other crew name a crew member; every person gets an unguessable calendar token.
CREATE TABLE ships (
    id          TEXT    PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    capacity    INTEGER NOT NULL CHECK (capacity > 0),
    created_at  TEXT    NOT NULL
) STRICT;

CREATE TABLE people (
    id               TEXT    PRIMARY KEY,
    name             TEXT    NOT NULL,
    role             TEXT    NOT NULL CHECK (role IN ('captain', 'crew')),
    email            TEXT    NOT NULL DEFAULT '',
    phone            TEXT    NOT NULL DEFAULT '',
    licence_expires  TEXT,
    medical_expires  TEXT,
    calendar_token   TEXT    NOT NULL UNIQUE,
    created_at       TEXT    NOT NULL
) STRICT;

ALTER TABLE events ADD COLUMN ship_id TEXT REFERENCES ships (id);
ALTER TABLE events ADD COLUMN captain_id TEXT REFERENCES people (id);
ALTER TABLE events ADD COLUMN crew_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE events ADD COLUMN conflicts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE events ADD COLUMN override_reason TEXT NOT NULL DEFAULT '';

INSERT INTO ships (id, name, capacity, created_at)
SELECT 'shp_' || lower(hex(randomblob(8))), trim(ship), max(party_size), strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
FROM events WHERE trim(coalesce(ship, '')) != '' GROUP BY trim(ship);

INSERT INTO people (id, name, role, calendar_token, created_at)
SELECT 'per_' || lower(hex(randomblob(8))), trim(captain), 'captain', lower(hex(randomblob(24))),
       strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
FROM events WHERE trim(coalesce(captain, '')) != '' GROUP BY trim(captain);

INSERT INTO people (id, name, role, calendar_token, created_at)
SELECT 'per_' || lower(hex(randomblob(8))), trim(member.value), 'crew', lower(hex(randomblob(24))),
       strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
FROM events, json_each(events.crew) AS member
WHERE trim(member.value) != '' AND trim(member.value) NOT IN (SELECT name FROM people)
GROUP BY trim(member.value);

UPDATE events SET
    ship_id = (SELECT id FROM ships WHERE name = trim(events.ship)),
    captain_id = (SELECT id FROM people WHERE name = trim(events.captain)),
    crew_ids = (
        SELECT json_group_array(people.id) FROM json_each(events.crew) AS member
        JOIN people ON people.name = trim(member.value)
        WHERE people.name != trim(coalesce(events.captain, ''))
    )
WHERE ship IS NOT NULL OR captain IS NOT NULL OR crew != '[]';

ALTER TABLE events DROP COLUMN ship;
ALTER TABLE events DROP COLUMN captain;
ALTER TABLE events DROP COLUMN crew;

CREATE INDEX events_by_ship ON events (ship_id, date) WHERE ship_id IS NOT NULL;
CREATE INDEX events_by_captain ON events (captain_id, date) WHERE captain_id IS NOT NULL;

-- The board shows roster names on every card, so a roster change is a data change for the list cache.
CREATE TRIGGER ships_insert_generation AFTER INSERT ON ships
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;

CREATE TRIGGER ships_update_generation AFTER UPDATE ON ships
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;

CREATE TRIGGER ships_delete_generation AFTER DELETE ON ships
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;

CREATE TRIGGER people_insert_generation AFTER INSERT ON people
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;

CREATE TRIGGER people_update_generation AFTER UPDATE ON people
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;

CREATE TRIGGER people_delete_generation AFTER DELETE ON people
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'generation'; END;
