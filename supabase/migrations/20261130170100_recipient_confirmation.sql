-- The request transitions that confirmed recipients add or change. The first rows of the table
-- are in 20261130130000_request_states.sql (and 20261130140000_request_capabilities.sql); the
-- rows here add to theirs. tests/scheduler/test_transitions.py reads every migration's table and
-- tries every (status, transition).
--
--   transition                   from                           to
--   create_summary_request       (new row)                      pending, awaiting_confirmation or failed
--   confirm_recipient            awaiting_confirmation          pending (every request to the address)
--   expire_unconfirmed_requests  awaiting_confirmation          failed (recipient_not_confirmed)
--   unsubscribe_recipient        pending                        failed (recipient_unsubscribed)
--   unsubscribe_recipient        awaiting_confirmation          failed (recipient_unsubscribed)
--   cancel_summary_request       pending                        canceled
--   cancel_summary_request       awaiting_confirmation          canceled
--   reschedule_summary_request   pending                        pending
--   reschedule_summary_request   awaiting_confirmation          awaiting_confirmation
--   retry_summary_request        failed                         pending (refused while the address is blocked)
--   delete_summary_request       awaiting_confirmation          deleted
--
-- The caps on confirmation emails (one per mailbox per 10 minutes, five per day) and the
-- lifetimes of tokens (a confirmation: as long as its requests wait, 7 days) are here, beside
-- the rows they count, so that every ingest replica applies the same ones.

-- The requests a confirmation releases, and those that waited too long.
CREATE INDEX summary_requests_awaiting_idx ON summary_requests (email, created_at)
    WHERE status = 'awaiting_confirmation';

-- The mailbox an address reaches, however it is spelt: case folded and the +tag dropped (as
-- the gateway's per-recipient rate limit counts it, gateway/client_keys.py).
CREATE FUNCTION recipient_mailbox(p_email text)
RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, public
AS $$
    SELECT lower(split_part(substring(p_email FROM '^(.*)@[^@]*$'), '+', 1))
        || '@' || lower(substring(p_email FROM '@([^@]*)$'));
$$;

-- Where an address stands: 'confirmed', 'unconfirmed' (never confirmed), or 'unsubscribed'
-- (asked for no more mail after its last confirmation).
CREATE FUNCTION recipient_standing(p_email text)
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, public
AS $$
    SELECT CASE
        WHEN r.unsubscribed_at IS NOT NULL
             AND r.unsubscribed_at >= coalesce(r.confirmed_at, '-infinity') THEN 'unsubscribed'
        WHEN r.confirmed_at IS NOT NULL THEN 'confirmed'
        ELSE 'unconfirmed'
    END
    FROM (SELECT p_email AS email) AS asked
    LEFT JOIN recipients r ON r.email = asked.email;
$$;

DROP FUNCTION create_summary_request(text, uuid, timestamptz, text, text, text);

-- A new request: pending, or awaiting_confirmation when p_confirmation_required and the address
-- has not confirmed, or failed at once (recipient_unsubscribed) when the address unsubscribed.
CREATE FUNCTION create_summary_request(
    p_email text,
    p_audio_id uuid,
    p_send_at timestamptz,
    p_raw_transcript text,
    p_time_zone text,
    p_request_id text,
    p_confirmation_required boolean DEFAULT false
) RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    standing text := recipient_standing(p_email);
    first_status summary_request_status := 'pending';
    created summary_requests;
BEGIN
    IF standing = 'unsubscribed' THEN
        first_status := 'failed';
    ELSIF p_confirmation_required AND standing <> 'confirmed' THEN
        first_status := 'awaiting_confirmation';
    END IF;
    INSERT INTO summary_requests
        (email, audio_id, send_at, due_at, raw_transcript, time_zone, request_id, status,
         error_code, error_message)
    VALUES (p_email, p_audio_id, coalesce(p_send_at, now()), coalesce(p_send_at, now()),
            p_raw_transcript, p_time_zone, p_request_id, first_status,
            CASE WHEN first_status = 'failed' THEN 'recipient_unsubscribed' END,
            CASE WHEN first_status = 'failed' THEN
                'This address asked to receive no more of these emails. It receives them again'
                ' once it confirms: use "Email me my notes" to get a link.' END)
    RETURNING * INTO created;
    RETURN created;
END;
$$;

-- The address a token was sent to, if it is one of p_purposes and has not expired; else
-- no_data_found (the same for an unknown and an expired token: a guess learns nothing).
CREATE FUNCTION recipient_token_owner(p_token_hash bytea, p_purposes recipient_token_purpose[])
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, public
AS $$
DECLARE
    owner_email text;
BEGIN
    SELECT email INTO owner_email FROM recipient_tokens
    WHERE token_hash = p_token_hash AND purpose = ANY (p_purposes) AND expires_at > now();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown or expired token' USING ERRCODE = 'no_data_found';
    END IF;
    RETURN owner_email;
END;
$$;

-- Stores a token (its hash) that lets its holder act for an address, for p_ttl.
CREATE FUNCTION add_recipient_token(
    p_email text, p_purpose recipient_token_purpose, p_token_hash bytea, p_ttl interval
) RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, public
AS $$
    INSERT INTO recipients (email) VALUES (p_email) ON CONFLICT DO NOTHING;
    INSERT INTO recipient_tokens (token_hash, email, purpose, expires_at)
    VALUES (p_token_hash, p_email, p_purpose, now() + p_ttl);
$$;

-- Whether a confirmation email may go to the address now; if so, its token is stored and the
-- email counted (before it is sent: a failed send still counts, so no failure mode floods).
-- False when the address is not unconfirmed, or when a cap is reached.
CREATE FUNCTION request_recipient_confirmation(p_email text, p_token_hash bytea)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    mailbox_asked text := recipient_mailbox(p_email);
BEGIN
    INSERT INTO recipients (email) VALUES (p_email) ON CONFLICT DO NOTHING;
    -- One decision at a time per mailbox: concurrent requests cannot both pass the caps.
    PERFORM pg_advisory_xact_lock(hashtextextended(mailbox_asked, 0));
    IF recipient_standing(p_email) <> 'unconfirmed' THEN
        RETURN false;
    END IF;
    IF EXISTS (SELECT FROM recipient_confirmation_emails
               WHERE mailbox = mailbox_asked AND sent_at > now() - interval '10 minutes')
       OR (SELECT count(*) FROM recipient_confirmation_emails
           WHERE mailbox = mailbox_asked AND sent_at > now() - interval '1 day') >= 5 THEN
        RETURN false;
    END IF;
    INSERT INTO recipient_confirmation_emails (email, mailbox) VALUES (p_email, mailbox_asked);
    PERFORM add_recipient_token(p_email, 'confirm', p_token_hash, interval '7 days');
    RETURN true;
END;
$$;

-- Confirms the address a confirmation (or "my notes") token was sent to, and releases its
-- waiting requests: each is due at its send_at, or now if that has passed. Answers with the
-- released requests; an unknown or expired token raises no_data_found.
CREATE FUNCTION confirm_recipient(p_token_hash bytea)
RETURNS SETOF summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    confirmed_email text := recipient_token_owner(p_token_hash, '{confirm,notes}');
BEGIN
    UPDATE recipients SET confirmed_at = now() WHERE email = confirmed_email;
    RETURN QUERY
        UPDATE summary_requests SET status = 'pending', updated_at = now()
        WHERE email = confirmed_email AND status = 'awaiting_confirmation'
        RETURNING *;
END;
$$;

-- Requests that waited longer than p_max_wait for their address to confirm end as failed.
-- Expired tokens are forgotten on the way (a day late, so a click just after expiry still
-- finds its token and gets the right answer).
CREATE FUNCTION expire_unconfirmed_requests(p_max_wait interval)
RETURNS SETOF summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
BEGIN
    DELETE FROM recipient_tokens WHERE expires_at < now() - interval '1 day';
    DELETE FROM recipient_confirmation_emails WHERE sent_at < now() - interval '2 days';
    RETURN QUERY
        UPDATE summary_requests
        SET status = 'failed', error_code = 'recipient_not_confirmed',
            error_message = 'The address was not confirmed within 7 days, so nothing was sent'
                ' to it. Confirm it with the link in the confirmation email, then try again.',
            updated_at = now()
        WHERE status = 'awaiting_confirmation' AND created_at < now() - p_max_wait
        RETURNING *;
END;
$$;

-- One-click unsubscribe (RFC 8058): the address gets no more mail until it confirms again, and
-- its pending and waiting requests end as failed. Answers with them; an unknown or expired
-- token raises no_data_found. Saying it twice is harmless.
CREATE FUNCTION unsubscribe_recipient(p_token_hash bytea)
RETURNS SETOF summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    leaving_email text := recipient_token_owner(p_token_hash, '{unsubscribe}');
BEGIN
    UPDATE recipients SET unsubscribed_at = now() WHERE email = leaving_email;
    RETURN QUERY
        UPDATE summary_requests
        SET status = 'failed', error_code = 'recipient_unsubscribed',
            error_message = 'This address asked to receive no more of these emails, so nothing'
                ' was sent.',
            updated_at = now()
        WHERE email = leaving_email AND status IN ('pending', 'awaiting_confirmation')
        RETURNING *;
END;
$$;

CREATE OR REPLACE FUNCTION cancel_summary_request(p_id uuid)
RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    changed summary_requests;
BEGIN
    UPDATE summary_requests SET status = 'canceled', updated_at = now()
    WHERE id = p_id AND status IN ('pending', 'awaiting_confirmation')
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        PERFORM refuse_transition(p_id, 'canceled', 'pending or awaiting_confirmation');
    END IF;
    RETURN changed;
END;
$$;

-- p_send_at NULL means now (or, while the address has not confirmed, as soon as it does).
CREATE OR REPLACE FUNCTION reschedule_summary_request(p_id uuid, p_send_at timestamptz)
RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    changed summary_requests;
BEGIN
    UPDATE summary_requests
    SET send_at = coalesce(p_send_at, now()), due_at = coalesce(p_send_at, now()),
        updated_at = now()
    WHERE id = p_id AND status IN ('pending', 'awaiting_confirmation')
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        PERFORM refuse_transition(p_id, 'rescheduled', 'pending or awaiting_confirmation');
    END IF;
    RETURN changed;
END;
$$;

-- A failed request starts over with fresh attempts; stages that finished stay done. One that
-- failed because its address did not confirm or unsubscribed waits for the address first.
CREATE OR REPLACE FUNCTION retry_summary_request(p_id uuid)
RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    changed summary_requests;
BEGIN
    UPDATE summary_requests
    SET status = 'pending', attempts = 0, due_at = now(), error_code = NULL,
        error_message = NULL, updated_at = now()
    WHERE id = p_id AND status = 'failed'
      AND NOT (error_code IN ('recipient_not_confirmed', 'recipient_unsubscribed')
               AND recipient_standing(email) <> 'confirmed')
    RETURNING * INTO changed;
    IF FOUND THEN
        RETURN changed;
    END IF;
    IF EXISTS (SELECT FROM summary_requests WHERE id = p_id AND status = 'failed') THEN
        RAISE EXCEPTION 'the address has not confirmed; confirm it with the link we emailed,'
            ' then try again' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    PERFORM refuse_transition(p_id, 'retried', 'failed');
    RETURN changed;
END;
$$;

-- Closed to everyone but the owner, like every state function (20261130130300).
REVOKE ALL ON FUNCTION recipient_standing(text), recipient_mailbox(text),
    recipient_token_owner(bytea, recipient_token_purpose[]), create_summary_request(text, uuid, timestamptz, text, text, text, boolean),
    add_recipient_token(text, recipient_token_purpose, bytea, interval),
    request_recipient_confirmation(text, bytea), confirm_recipient(bytea),
    expire_unconfirmed_requests(interval), unsubscribe_recipient(bytea) FROM PUBLIC;
