-- The ledger learns new kinds of entry: 'refund', money that went back to the patron, and the pair a rain check
-- writes, 'rain_check' (leaving a cancelled charter) and 'credit' (arriving on another booking).
-- SQLite cannot alter a CHECK constraint, so the table is rebuilt: new table, copy every row in the order they
-- were appended (a reversal after the payment it points at), drop, rename, then its indexes and the triggers
-- that keep it append-only again (dropping the old table dropped them; a drop fires no trigger).
CREATE TABLE ledger_rebuilt (
    id            TEXT    PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('payment', 'reversal', 'refund', 'rain_check', 'credit')),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    method        TEXT    NOT NULL,
    patron_name   TEXT    NOT NULL,
    reference     TEXT    NOT NULL DEFAULT '',
    note          TEXT    NOT NULL DEFAULT '',
    received_on   TEXT,
    actor         TEXT    NOT NULL,
    recorded_at   TEXT    NOT NULL,
    reverses      TEXT    UNIQUE REFERENCES ledger_rebuilt (id),
    reason        TEXT    NOT NULL DEFAULT '',
    CHECK ((kind = 'reversal') = (reverses IS NOT NULL))
) STRICT;

INSERT INTO ledger_rebuilt (id, event_id, kind, amount_cents, method, patron_name, reference, note, received_on,
                            actor, recorded_at, reverses, reason)
SELECT id, event_id, kind, amount_cents, method, patron_name, reference, note, received_on,
       actor, recorded_at, reverses, reason
FROM ledger ORDER BY rowid;

DROP TABLE ledger;

ALTER TABLE ledger_rebuilt RENAME TO ledger;

CREATE INDEX ledger_by_event ON ledger (event_id, recorded_at, id);
CREATE INDEX ledger_by_time ON ledger (recorded_at, id);

CREATE TRIGGER ledger_is_append_only_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: reverse a payment instead'); END;

CREATE TRIGGER ledger_is_append_only_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: reverse a payment instead'); END;

-- Whether the patron is reminded before the charter (the dispatcher can turn it off for one charter), and which
-- reminders went out: one per charter and number of days before, whoever runs them and however often.
ALTER TABLE events ADD COLUMN reminders INTEGER NOT NULL DEFAULT 1 CHECK (reminders IN (0, 1));

CREATE TABLE reminders_sent (
    event_id     INTEGER NOT NULL REFERENCES events (id),
    days_before  INTEGER NOT NULL,
    sent_at      TEXT    NOT NULL,
    PRIMARY KEY (event_id, days_before)
) STRICT;
