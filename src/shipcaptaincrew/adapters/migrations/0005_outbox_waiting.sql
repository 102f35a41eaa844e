-- The outbox learns a fourth state, 'waiting' (for the transport's credentials, e.g. a revoked Gmail token),
-- and keeps the template name and facts that render a message's text and HTML parts.
-- SQLite cannot alter a CHECK constraint, so the table is rebuilt: new table, copy every row, drop, rename,
-- then the index again (dropping the old table dropped it). Nothing references outbox, so no foreign key moves.
CREATE TABLE outbox_rebuilt (
    id               TEXT    PRIMARY KEY,
    message_id       TEXT    NOT NULL UNIQUE,
    kind             TEXT    NOT NULL DEFAULT '',
    recipient        TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body_text        TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'waiting', 'sent', 'dead')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    last_error       TEXT    NOT NULL DEFAULT '',
    sent_at          TEXT,
    template         TEXT    NOT NULL DEFAULT '',
    facts            TEXT    NOT NULL DEFAULT '{}'
) STRICT;

INSERT INTO outbox_rebuilt (id, message_id, kind, recipient, subject, body_text, created_at, status, attempts,
                            next_attempt_at, last_error, sent_at)
SELECT id, message_id, kind, recipient, subject, body_text, created_at, status, attempts,
       next_attempt_at, last_error, sent_at
FROM outbox;

DROP TABLE outbox;

ALTER TABLE outbox_rebuilt RENAME TO outbox;

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
