-- Confirmed recipients (double opt-in): a request to an address that has not confirmed waits as
-- `awaiting_confirmation`, and the address receives nothing but one fixed confirmation email.
-- The new status is added alone: Postgres lets a transaction use an enum value only once the
-- transaction that added it has committed, so the functions that use it follow in
-- 20261130170100_recipient_confirmation.sql (with the rows it adds to the transition table).
--
-- Who owns what (docs/architecture.md says the same):
--
--   table                          owner    how others reach it
--   recipients                     ingest   scheduler: expire_unconfirmed_requests(),
--                                           recipient_mail_allowed() (through SQL functions)
--   recipient_tokens               ingest   scheduler: add_recipient_token() for the
--                                           unsubscribe link of a summary email
--   recipient_confirmation_emails  ingest   nobody else
--
-- Ingest owns them because every decision they feed is about its summary requests: whether a
-- new request waits, which ones a confirmation releases, which ones an unsubscribe ends.

ALTER TYPE summary_request_status ADD VALUE 'awaiting_confirmation' AFTER 'pending';

-- What a token sent to an address lets its holder do: confirm it (the confirmation email), list
-- its notes (the "email me my notes" link, which also confirms), or unsubscribe it.
CREATE TYPE recipient_token_purpose AS ENUM ('confirm', 'notes', 'unsubscribe');

-- One row per address ever asked about: what it said to us. An address without a row, or with
-- confirmed_at NULL, has not confirmed; unsubscribed_at set and later than confirmed_at means
-- it asked for no more mail until it confirms again.
CREATE TABLE recipients (
    email text PRIMARY KEY,
    confirmed_at timestamptz,
    unsubscribed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Tokens are stored as their SHA-256 only: a copy of the database cannot act for anyone.
CREATE TABLE recipient_tokens (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    email text NOT NULL REFERENCES recipients (email),
    purpose recipient_token_purpose NOT NULL,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recipient_tokens_expiry_idx ON recipient_tokens (expires_at);

-- When each confirmation email went out: the caps (one per 10 minutes, five per day) count
-- here, per mailbox (recipient_mailbox(): Victim+1@Example.com is victim@example.com's), so
-- that spelling one inbox many ways does not multiply what it receives.
CREATE TABLE recipient_confirmation_emails (
    email text NOT NULL REFERENCES recipients (email),
    mailbox text NOT NULL,
    sent_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recipient_confirmation_emails_idx
    ON recipient_confirmation_emails (mailbox, sent_at);

-- Row-level security with no policy: Supabase's REST API (anon, authenticated) sees no row even
-- if a grant slipped through; the services connect as the owner, which RLS does not restrict.
ALTER TABLE recipients ENABLE ROW LEVEL SECURITY;
ALTER TABLE recipient_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE recipient_confirmation_emails ENABLE ROW LEVEL SECURITY;
