-- The requester's time zone (IANA name, e.g. "Europe/Paris"; empty when unknown), so that the
-- email speaks of times in the recipient's local time.
ALTER TABLE summary_requests ADD COLUMN time_zone text NOT NULL DEFAULT '';
