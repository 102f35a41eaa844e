-- Waiver versions and signatures. Both are append-only: a version is never edited, a signature never
-- changed or removed (record_hash lets `scc waiver verify` detect an edit made behind our back).
CREATE TABLE waiver_versions (
    id          INTEGER PRIMARY KEY,
    text        TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
) STRICT;

CREATE TABLE signatures (
    id                     TEXT    PRIMARY KEY,
    event_id               INTEGER NOT NULL REFERENCES events (id),
    guest_name             TEXT    NOT NULL,
    email                  TEXT    NOT NULL,
    phone                  TEXT    NOT NULL,
    date_of_birth          TEXT    NOT NULL,
    minor                  INTEGER NOT NULL CHECK (minor IN (0, 1)),
    guardian_name          TEXT    NOT NULL,
    guardian_relationship  TEXT    NOT NULL,
    guardian_signature     TEXT    NOT NULL,
    emergency_name         TEXT    NOT NULL,
    emergency_phone        TEXT    NOT NULL,
    typed_signature        TEXT    NOT NULL,
    drawn_signature        TEXT    NOT NULL,
    consent_label          TEXT    NOT NULL,
    agreement_label        TEXT    NOT NULL,
    version_id             INTEGER NOT NULL REFERENCES waiver_versions (id),
    version_hash           TEXT    NOT NULL,
    signed_at              TEXT    NOT NULL,
    ip                     TEXT    NOT NULL,
    user_agent             TEXT    NOT NULL,
    copy_token             TEXT    NOT NULL UNIQUE,
    record_hash            TEXT    NOT NULL
) STRICT;

CREATE INDEX signatures_by_event ON signatures (event_id, signed_at);

CREATE TRIGGER waiver_versions_are_immutable_update BEFORE UPDATE ON waiver_versions
BEGIN SELECT RAISE(ABORT, 'waiver versions are immutable: add a new version'); END;

CREATE TRIGGER waiver_versions_are_immutable_delete BEFORE DELETE ON waiver_versions
BEGIN SELECT RAISE(ABORT, 'waiver versions are immutable: add a new version'); END;

CREATE TRIGGER signatures_are_append_only_update BEFORE UPDATE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;

CREATE TRIGGER signatures_are_append_only_delete BEFORE DELETE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;
