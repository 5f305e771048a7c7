ALTER TABLE organizations DROP COLUMN address;
ALTER TABLE organizations DROP COLUMN contact_phone;
ALTER TABLE organizations DROP COLUMN contact_email;
