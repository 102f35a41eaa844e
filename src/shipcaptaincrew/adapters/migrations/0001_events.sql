-- Events, their old slugs, the admin credentials, signed-out tokens and the audit log.
CREATE TABLE events (
    id                  INTEGER PRIMARY KEY,
    slug                TEXT    NOT NULL UNIQUE,
    date                TEXT    NOT NULL,
    period              TEXT    NOT NULL,
    period_starts       TEXT    NOT NULL,
    patron_first_name   TEXT    NOT NULL,
    patron_last_name    TEXT    NOT NULL DEFAULT '',
    patron_email        TEXT    NOT NULL DEFAULT '',
    patron_phone        TEXT    NOT NULL DEFAULT '',
    party_size          INTEGER NOT NULL CHECK (party_size > 0),
    title               TEXT    NOT NULL DEFAULT '',
    notes               TEXT    NOT NULL DEFAULT '',
    amount_due_cents    INTEGER CHECK (amount_due_cents IS NULL OR amount_due_cents > 0),
    status              TEXT    NOT NULL CHECK (status IN ('booked', 'cancelled', 'completed')),
    ship                TEXT,
    captain             TEXT,
    crew                TEXT    NOT NULL DEFAULT '[]',
    paid_cents          INTEGER NOT NULL DEFAULT 0,
    payment_cleared_at  TEXT,
    waivers_signed      INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    version             INTEGER NOT NULL CHECK (version > 0)
) STRICT;

CREATE INDEX events_by_day ON events (date, period_starts, slug);

CREATE TABLE slug_aliases (
    alias     TEXT    PRIMARY KEY,
    event_id  INTEGER NOT NULL REFERENCES events (id)
) STRICT;

CREATE INDEX slug_aliases_by_event ON slug_aliases (event_id);

CREATE TABLE credentials (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;

CREATE TABLE revoked_tokens (
    token_id    TEXT PRIMARY KEY,
    expires_at  TEXT NOT NULL
) STRICT;

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    action  TEXT NOT NULL,
    actor   TEXT NOT NULL,
    at      TEXT NOT NULL,
    data    TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;

CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
