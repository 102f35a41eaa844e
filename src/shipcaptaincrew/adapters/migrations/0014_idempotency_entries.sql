-- An idempotency key remembers the ledger entry its first request made, not an HTTP answer: the web layer renders
-- a replay from the entry as it renders any answer. A key stored before keeps the entry its stored answer names.
CREATE TABLE idempotency_keys_by_entry (
    key          TEXT PRIMARY KEY,
    fingerprint  TEXT NOT NULL,
    entry_id     TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;

INSERT INTO idempotency_keys_by_entry (key, fingerprint, entry_id, created_at)
SELECT key, fingerprint, json_extract(CAST(body AS TEXT), '$.payment.id'), created_at
FROM idempotency_keys
WHERE json_valid(CAST(body AS TEXT)) AND json_type(CAST(body AS TEXT), '$.payment.id') = 'text';

DROP TABLE idempotency_keys;

ALTER TABLE idempotency_keys_by_entry RENAME TO idempotency_keys;

CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
