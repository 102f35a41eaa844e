-- Sign-in state gets a counter of its own, so logging a payment no longer empties the sign-in cache:
-- `generation` follows events and aliases, `auth_generation` follows credentials and signed-out tokens.
INSERT INTO meta (name, value) VALUES ('auth_generation', 1);

DROP TRIGGER credentials_insert_generation;
DROP TRIGGER credentials_update_generation;
DROP TRIGGER revoked_tokens_insert_generation;

CREATE TRIGGER credentials_insert_auth_generation AFTER INSERT ON credentials
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'auth_generation'; END;

CREATE TRIGGER credentials_update_auth_generation AFTER UPDATE ON credentials
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'auth_generation'; END;

CREATE TRIGGER revoked_tokens_insert_auth_generation AFTER INSERT ON revoked_tokens
BEGIN UPDATE meta SET value = value + 1 WHERE name = 'auth_generation'; END;
