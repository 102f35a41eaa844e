-- The payment ledger (append-only, enforced here), idempotency keys, and the email outbox.
CREATE TABLE ledger (
    id            TEXT    PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('payment', 'reversal')),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    method        TEXT    NOT NULL,
    patron_name   TEXT    NOT NULL,
    reference     TEXT    NOT NULL DEFAULT '',
    note          TEXT    NOT NULL DEFAULT '',
    received_on   TEXT,
    actor         TEXT    NOT NULL,
    recorded_at   TEXT    NOT NULL,
    reverses      TEXT    UNIQUE REFERENCES ledger (id),
    reason        TEXT    NOT NULL DEFAULT '',
    CHECK ((kind = 'reversal') = (reverses IS NOT NULL))
) STRICT;

CREATE INDEX ledger_by_event ON ledger (event_id, recorded_at, id);
CREATE INDEX ledger_by_time ON ledger (recorded_at, id);

CREATE TRIGGER ledger_is_append_only_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: reverse a payment instead'); END;

CREATE TRIGGER ledger_is_append_only_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: reverse a payment instead'); END;

CREATE TABLE idempotency_keys (
    key          TEXT    PRIMARY KEY,
    fingerprint  TEXT    NOT NULL,
    status       INTEGER NOT NULL,
    body         BLOB    NOT NULL,
    created_at   TEXT    NOT NULL
) STRICT;

CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

CREATE TABLE outbox (
    id               TEXT    PRIMARY KEY,
    message_id       TEXT    NOT NULL UNIQUE,
    kind             TEXT    NOT NULL DEFAULT '',
    recipient        TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body_text        TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'dead')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    last_error       TEXT    NOT NULL DEFAULT '',
    sent_at          TEXT
) STRICT;

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
