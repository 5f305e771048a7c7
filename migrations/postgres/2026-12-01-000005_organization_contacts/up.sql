-- An organisation's contact point (issue 10: the organisation form; Decree 42/2022 art. 7(2)
-- asks portals to show their bodies' contacts). Expand only: new columns with empty defaults,
-- so rows and code written before them stay valid.
ALTER TABLE organizations ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN address TEXT NOT NULL DEFAULT '';
