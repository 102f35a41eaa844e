-- The charter's day at the dock. Each guest's check-in line (replaced by each tap), the departure with its manifest
-- (written once; only its return is added, once), and beside the event where it stands, so the board needs no join.
ALTER TABLE events ADD COLUMN dock_status TEXT NOT NULL DEFAULT ''
    CHECK (dock_status IN ('', 'boarding', 'departed', 'returned'));
ALTER TABLE events ADD COLUMN aboard INTEGER NOT NULL DEFAULT 0 CHECK (aboard >= 0);
ALTER TABLE events ADD COLUMN departed_at TEXT;
ALTER TABLE events ADD COLUMN returned_at TEXT;

CREATE TABLE check_ins (
    event_id  INTEGER NOT NULL REFERENCES events (id),
    guest     TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    walk_up   INTEGER NOT NULL CHECK (walk_up IN (0, 1)),
    aboard    INTEGER NOT NULL CHECK (aboard IN (0, 1)),
    actor     TEXT    NOT NULL,
    at        TEXT    NOT NULL,
    added_at  TEXT    NOT NULL,
    PRIMARY KEY (event_id, guest)
) STRICT;

CREATE TABLE departures (
    event_id         INTEGER PRIMARY KEY REFERENCES events (id),
    departed_at      TEXT    NOT NULL,
    departed_by      TEXT    NOT NULL,
    aboard           TEXT    NOT NULL,
    override_reason  TEXT    NOT NULL DEFAULT '',
    returned_at      TEXT,
    returned_by      TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE TRIGGER departures_only_gain_their_return BEFORE UPDATE ON departures
WHEN OLD.returned_at IS NOT NULL OR NEW.event_id IS NOT OLD.event_id OR NEW.departed_at IS NOT OLD.departed_at
    OR NEW.departed_by IS NOT OLD.departed_by OR NEW.aboard IS NOT OLD.aboard
    OR NEW.override_reason IS NOT OLD.override_reason
BEGIN SELECT RAISE(ABORT, 'a departure is a record: only its return is added, once'); END;

CREATE TRIGGER departures_are_kept BEFORE DELETE ON departures
BEGIN SELECT RAISE(ABORT, 'departures are kept'); END;
