-- The language a person chose while signed in ('da' or 'en'): what is sent
-- to them (notifications, digests) is written in it.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'da' CHECK (language IN ('da', 'en'));
