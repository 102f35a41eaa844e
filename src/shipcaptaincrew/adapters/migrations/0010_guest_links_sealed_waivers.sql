-- An event's permanent id, the same in every store it is moved to (a waiver record names it).
ALTER TABLE events ADD COLUMN key TEXT NOT NULL DEFAULT '';
UPDATE events SET key = CAST(id AS TEXT);
CREATE UNIQUE INDEX events_by_key ON events (key);

-- Guest links carry a secret: HMAC(the guest-link key, this nonce). A new nonce (rotation) kills the old links.
ALTER TABLE events ADD COLUMN guest_nonce TEXT NOT NULL DEFAULT '';
UPDATE events SET guest_nonce = lower(hex(randomblob(16)));

-- Waiver records are sealed with an HMAC (the key is never in the database) and chained in one sequence of
-- positions: each seal covers the previous record's seal, and `waiver_chain` holds the sealed head, so a record
-- deleted, inserted or rewritten breaks the chain. Records from before sealing keep their unkeyed hash, take the
-- first positions and have no seal; the first sealed record after them anchors their number.
-- Each record keeps the event's id and slug as they were at signing, so renaming an event alters no record.
DROP TRIGGER signatures_are_append_only_update;
ALTER TABLE signatures ADD COLUMN signed_slug TEXT NOT NULL DEFAULT '';
ALTER TABLE signatures ADD COLUMN position INTEGER;
ALTER TABLE signatures ADD COLUMN previous_seal TEXT NOT NULL DEFAULT '';
ALTER TABLE signatures ADD COLUMN seal TEXT NOT NULL DEFAULT '';
UPDATE signatures SET signed_slug = (SELECT slug FROM events WHERE events.id = signatures.event_id);
UPDATE signatures SET position = (SELECT count(*) FROM signatures AS earlier WHERE earlier.rowid <= signatures.rowid);
CREATE UNIQUE INDEX signatures_by_position ON signatures (position);
CREATE TRIGGER signatures_are_append_only_update BEFORE UPDATE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;

-- A void takes a signature out of the count and the manifest; the signature itself stays.
CREATE TABLE signature_voids (
    id             TEXT    PRIMARY KEY,
    signature_id   TEXT    NOT NULL UNIQUE REFERENCES signatures (id),
    event_id       INTEGER NOT NULL REFERENCES events (id),
    reason         TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    voided_at      TEXT    NOT NULL,
    position       INTEGER NOT NULL UNIQUE,
    previous_seal  TEXT    NOT NULL,
    seal           TEXT    NOT NULL
) STRICT;
CREATE INDEX signature_voids_by_event ON signature_voids (event_id);

CREATE TRIGGER signature_voids_are_append_only_update BEFORE UPDATE ON signature_voids
BEGIN SELECT RAISE(ABORT, 'voids are append-only'); END;

CREATE TRIGGER signature_voids_are_append_only_delete BEFORE DELETE ON signature_voids
BEGIN SELECT RAISE(ABORT, 'voids are append-only'); END;

-- The chain's head: its last position and seal, sealed itself. One row.
CREATE TABLE waiver_chain (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    position   INTEGER NOT NULL,
    seal       TEXT    NOT NULL,
    head_seal  TEXT    NOT NULL
) STRICT;

-- A waiver form's token is good for one signature: its nonce is spent in the signing transaction.
CREATE TABLE spent_form_tokens (
    nonce       TEXT PRIMARY KEY,
    expires_at  TEXT NOT NULL
) STRICT;
CREATE INDEX spent_form_tokens_by_expiry ON spent_form_tokens (expires_at);
