-- Failed sign-ins, counted in the store so that every process (and every Lambda container) applies one limit.
-- A successful sign-in marks the client's failures cleared: they stop counting against the client, and go on
-- counting in everyone's total until they leave the window. No generation trigger: a failure revokes nothing.
CREATE TABLE sign_in_failures (
    client TEXT NOT NULL,
    at TEXT NOT NULL,
    cleared INTEGER NOT NULL DEFAULT 0 CHECK (cleared IN (0, 1))
) STRICT;
CREATE INDEX sign_in_failures_by_client ON sign_in_failures (client, at);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);
