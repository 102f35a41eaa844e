-- Retiring a ship or person: it leaves the roster's lists and cannot be assigned, but stays in the table so
-- past charters keep its name (and their foreign keys). The generation triggers of 0007 fire on this update.
ALTER TABLE ships ADD COLUMN retired_at TEXT;
ALTER TABLE people ADD COLUMN retired_at TEXT;
