-- Each captain and crew member has a private day-sheet link: HMAC(the day-sheet key, their id and this nonce).
-- A new nonce (rotation) kills the old link; the key is never in the database.
ALTER TABLE people ADD COLUMN day_sheet_nonce TEXT NOT NULL DEFAULT '';
UPDATE people SET day_sheet_nonce = lower(hex(randomblob(16)));
