-- The database is the state machine of a summary request: every write to summary_requests is
-- one of the functions below, and each checks the row's status (and, while a scheduler works on
-- it, the lease token) before it changes anything.
--
-- Who owns what (who may write each table; docs/architecture.md says the same):
--
--   table              owner       how others reach it
--   audio_assets       ingest      scheduler: duration set inside record_request_transcript()
--   transcripts        ingest      scheduler: written by record_request_transcript(), read by
--                                  find_transcript() / get_transcript()
--   summary_requests   ingest      scheduler: only through the lease-guarded functions below
--   email_deliveries   notify      ingest: reads the email_delivery_outcomes view
--
-- Allowed transitions. A status not listed for a transition is refused: SQLSTATE 55000
-- (object_not_in_prerequisite_state), which ingest answers as FAILED_PRECONDITION (HTTP 409)
-- and the scheduler reads as LeaseLost; an unknown id is P0002 (no_data_found, NOT_FOUND).
-- "own lease" means: processing, and the caller's lease token is the row's.
-- tests/scheduler/test_transitions.py reads this table and tries every (status, transition).
--
--   transition                   from                           to
--   create_summary_request       (new row)                      pending
--   claim_due_requests           pending (due)                  processing
--   claim_due_requests           processing (lease expired)     processing, or failed (gave_up)
--   extend_request_lease         processing (own lease)         processing
--   set_request_stage            processing (own lease)         processing
--   record_request_transcript    processing (own lease)         processing (summarizing)
--   record_request_summary       processing (own lease)         processing (emailing)
--   mark_request_sent            processing (own lease)         sent
--   mark_request_failed          processing (own lease)         failed
--   retry_request_later          processing (own lease)         pending
--   hand_back_request            processing (own lease)         pending
--   cancel_summary_request       pending                        canceled
--   reschedule_summary_request   pending                        pending
--   retry_summary_request        failed                         pending
--
-- Every function answers with the row exactly as its own statement wrote it (RETURNING), so a
-- caller never reads the row a second time and races a scheduler that claimed it meanwhile.

-- Statuses and stages are types, not strings that a typo could widen.
CREATE TYPE summary_request_status AS ENUM ('pending', 'processing', 'sent', 'failed', 'canceled');
CREATE TYPE summary_request_stage AS ENUM ('transcribing', 'summarizing', 'emailing');
CREATE TYPE transcript_source AS ENUM ('raw', 'existing', 'transcribed');
CREATE TYPE email_delivery_status AS ENUM ('sending', 'sent', 'failed', 'unknown');

-- The old claim function, the trigger and the partial indexes name the text columns: rebuilt below.
DROP FUNCTION claim_due_requests(integer, text, integer);
DROP TRIGGER summary_requests_due_notify ON summary_requests;
DROP INDEX summary_requests_due_idx, summary_requests_lease_idx;

ALTER TABLE summary_requests
    DROP CONSTRAINT summary_requests_status_check,
    DROP CONSTRAINT summary_requests_stage_check,
    DROP CONSTRAINT summary_requests_transcript_source_check,
    ALTER COLUMN status DROP DEFAULT,
    ALTER COLUMN status TYPE summary_request_status USING status::summary_request_status,
    ALTER COLUMN status SET DEFAULT 'pending',
    ALTER COLUMN stage TYPE summary_request_stage USING stage::summary_request_stage,
    ALTER COLUMN transcript_source TYPE transcript_source
        USING transcript_source::transcript_source,
    -- The X-Request-ID of the call that created the request: the scheduler logs it and passes
    -- it on, so one id follows the request from the browser to the mailbox.
    ADD COLUMN request_id text NOT NULL DEFAULT '';

ALTER TABLE email_deliveries
    DROP CONSTRAINT email_deliveries_status_check,
    ALTER COLUMN status DROP DEFAULT,
    ALTER COLUMN status TYPE email_delivery_status USING status::email_delivery_status,
    ALTER COLUMN status SET DEFAULT 'sending';
-- "request id" means the X-Request-ID everywhere else.
ALTER TABLE email_deliveries RENAME COLUMN request_id TO summary_request_id;

CREATE INDEX summary_requests_due_idx ON summary_requests (due_at, id) WHERE status = 'pending';
CREATE INDEX summary_requests_lease_idx ON summary_requests (locked_until)
    WHERE status = 'processing';

CREATE TRIGGER summary_requests_due_notify
    AFTER INSERT OR UPDATE OF status, due_at ON summary_requests
    FOR EACH ROW EXECUTE FUNCTION notify_summary_request_due();

-- What notify lets others read of its deliveries.
CREATE VIEW email_delivery_outcomes WITH (security_invoker = true) AS
    SELECT id, summary_request_id, status, provider, provider_message_id, recipient, sent_at,
           error_message
    FROM email_deliveries;

-- Raises the error for a refused transition: no_data_found for an unknown id, else
-- object_not_in_prerequisite_state naming the status the request is in.
CREATE FUNCTION refuse_transition(p_id uuid, p_change text, p_allowed text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    current_status summary_request_status;
BEGIN
    SELECT status INTO current_status FROM summary_requests WHERE id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no summary request with id %', p_id USING ERRCODE = 'no_data_found';
    END IF;
    RAISE EXCEPTION 'the request is %; only % requests can be %', current_status, p_allowed,
        p_change USING ERRCODE = 'object_not_in_prerequisite_state';
END;
$$;

-- Raises the error a scheduler gets when the request is no longer its own.
CREATE FUNCTION refuse_lease(p_id uuid)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
BEGIN
    RAISE EXCEPTION 'summary request % is no longer held by this lease', p_id
        USING ERRCODE = 'object_not_in_prerequisite_state';
END;
$$;

CREATE FUNCTION create_summary_request(
    p_email text,
    p_audio_id uuid,
    p_send_at timestamptz,
    p_raw_transcript text,
    p_time_zone text,
    p_request_id text
) RETURNS summary_requests
LANGUAGE sql
SET search_path = pg_catalog, public
AS $$
    INSERT INTO summary_requests
        (email, audio_id, send_at, due_at, raw_transcript, time_zone, request_id)
    VALUES (p_email, p_audio_id, coalesce(p_send_at, now()), coalesce(p_send_at, now()),
            p_raw_transcript, p_time_zone, p_request_id)
    RETURNING *;
$$;

-- Claims up to batch_size due requests for one scheduler, atomically.
-- Due: pending with due_at reached, or processing with an expired lease (its worker died).
-- A request whose lease expired after max_attempts claims is not claimed again: it fails
-- (`gave_up`) here, so a request that crashes its worker every time cannot loop forever.
-- SKIP LOCKED lets several schedulers claim at once without waiting on or sharing rows;
-- the CTE keeps the planner from locking more rows than the limit.
CREATE FUNCTION claim_due_requests(
    batch_size integer,
    worker_id text,
    lease_seconds integer,
    max_attempts integer
) RETURNS SETOF summary_requests
LANGUAGE sql
SET search_path = pg_catalog, public
AS $$
    WITH due AS (
        SELECT id, (status = 'processing' AND attempts >= max_attempts) AS give_up
        FROM summary_requests
        WHERE (status = 'pending' AND due_at <= now())
           OR (status = 'processing' AND locked_until < now())
        ORDER BY due_at, id
        LIMIT batch_size
        FOR UPDATE SKIP LOCKED
    ), given_up AS (
        UPDATE summary_requests AS r
        SET status = 'failed', stage = NULL, locked_until = NULL, lease_token = NULL,
            error_code = 'gave_up',
            error_message = format('We tried %s times and could not finish this request.',
                                   r.attempts),
            updated_at = now()
        FROM due
        WHERE r.id = due.id AND due.give_up
    )
    UPDATE summary_requests AS r
    SET status = 'processing',
        attempts = r.attempts + 1,
        locked_by = worker_id,
        locked_until = now() + make_interval(secs => lease_seconds),
        lease_token = gen_random_uuid(),
        updated_at = now()
    FROM due
    WHERE r.id = due.id AND NOT due.give_up
    RETURNING r.*;
$$;

-- Heartbeat: pushes the lease forward.
CREATE FUNCTION extend_request_lease(p_id uuid, p_lease_token uuid, p_lease_seconds integer)
RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    changed summary_requests;
BEGIN
    UPDATE summary_requests
    SET locked_until = now() + make_interval(secs => p_lease_seconds)
    WHERE id = p_id AND lease_token = p_lease_token AND status = 'processing'
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        PERFORM refuse_lease(p_id);
    END IF;
    RETURN changed;
END;
$$;

CREATE FUNCTION set_request_stage(p_id uuid, p_lease_token uuid, p_stage summary_request_stage)
RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    changed summary_requests;
BEGIN
    UPDATE summary_requests SET stage = p_stage, updated_at = now()
    WHERE id = p_id AND lease_token = p_lease_token AND status = 'processing'
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        PERFORM refuse_lease(p_id);
    END IF;
    RETURN changed;
END;
$$;

-- Keeps the resolved transcript and starts summarizing (one write for both). With
-- p_transcribed (a new transcription: text, language, language_probability, duration_s,
-- segments, model, no_speech) it stores the transcript first; if another scheduler stored one
-- for the same audio meanwhile, theirs is kept.
CREATE FUNCTION record_request_transcript(
    p_id uuid,
    p_lease_token uuid,
    p_source transcript_source,
    p_transcript_id uuid DEFAULT NULL,
    p_transcribed jsonb DEFAULT NULL
) RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    request_audio_id uuid;
    kept_transcript_id uuid := p_transcript_id;
    changed summary_requests;
BEGIN
    SELECT audio_id INTO request_audio_id FROM summary_requests
    WHERE id = p_id AND lease_token = p_lease_token AND status = 'processing'
    FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM refuse_lease(p_id);
    END IF;
    IF p_transcribed IS NOT NULL THEN
        INSERT INTO transcripts (audio_id, text, language, language_probability, duration_s,
                                 segments, model, no_speech)
        VALUES (request_audio_id, p_transcribed ->> 'text', p_transcribed ->> 'language',
                (p_transcribed ->> 'language_probability')::double precision,
                (p_transcribed ->> 'duration_s')::double precision,
                p_transcribed -> 'segments', p_transcribed ->> 'model',
                (p_transcribed ->> 'no_speech')::boolean)
        ON CONFLICT (audio_id) DO UPDATE SET audio_id = EXCLUDED.audio_id
        RETURNING id INTO kept_transcript_id;
        UPDATE audio_assets SET duration_s = (p_transcribed ->> 'duration_s')::double precision
        WHERE id = request_audio_id AND duration_s IS NULL;
    END IF;
    UPDATE summary_requests
    SET transcript_source = p_source, transcript_id = kept_transcript_id,
        stage = 'summarizing', updated_at = now()
    WHERE id = p_id
    RETURNING * INTO changed;
    RETURN changed;
END;
$$;

-- Keeps the summary and starts emailing (one write for both).
CREATE FUNCTION record_request_summary(
    p_id uuid,
    p_lease_token uuid,
    p_bullets jsonb,
    p_next_step text,
    p_next_step_found boolean
) RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    changed summary_requests;
BEGIN
    UPDATE summary_requests
    SET summary_bullets = p_bullets, summary_next_step = p_next_step,
        next_step_found = p_next_step_found, stage = 'emailing', updated_at = now()
    WHERE id = p_id AND lease_token = p_lease_token AND status = 'processing'
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        PERFORM refuse_lease(p_id);
    END IF;
    RETURN changed;
END;
$$;

-- The one place a lease is released: the request leaves `processing` for p_status.
-- p_due_at NULL keeps due_at; p_keep_error keeps the last error instead of p_error_*.
-- locked_by stays, naming the scheduler that worked on the request last.
CREATE FUNCTION release_request(
    p_id uuid,
    p_lease_token uuid,
    p_status summary_request_status,
    p_due_at timestamptz,
    p_refund_attempt boolean,
    p_keep_error boolean,
    p_error_code text,
    p_error_message text
) RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    changed summary_requests;
BEGIN
    UPDATE summary_requests
    SET status = p_status, stage = NULL, locked_until = NULL, lease_token = NULL,
        due_at = coalesce(p_due_at, due_at),
        attempts = attempts - p_refund_attempt::integer,
        error_code = CASE WHEN p_keep_error THEN error_code ELSE p_error_code END,
        error_message = CASE WHEN p_keep_error THEN error_message ELSE p_error_message END,
        updated_at = now()
    WHERE id = p_id AND lease_token = p_lease_token AND status = 'processing'
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        PERFORM refuse_lease(p_id);
    END IF;
    RETURN changed;
END;
$$;

CREATE FUNCTION mark_request_sent(p_id uuid, p_lease_token uuid)
RETURNS summary_requests
LANGUAGE sql
SET search_path = pg_catalog, public
AS $$
    SELECT * FROM release_request(p_id, p_lease_token, 'sent', NULL, false, false, NULL, NULL);
$$;

CREATE FUNCTION mark_request_failed(
    p_id uuid, p_lease_token uuid, p_error_code text, p_error_message text
) RETURNS summary_requests
LANGUAGE sql
SET search_path = pg_catalog, public
AS $$
    SELECT * FROM release_request(
        p_id, p_lease_token, 'failed', NULL, false, false, p_error_code, p_error_message
    );
$$;

-- Back to pending, due again after p_delay_s; the error stays visible meanwhile. A refunded
-- attempt (waiting on an earlier attempt's outcome) does not count towards max_attempts.
CREATE FUNCTION retry_request_later(
    p_id uuid,
    p_lease_token uuid,
    p_delay_s double precision,
    p_error_code text,
    p_error_message text,
    p_refund_attempt boolean DEFAULT false
) RETURNS summary_requests
LANGUAGE sql
SET search_path = pg_catalog, public
AS $$
    SELECT * FROM release_request(
        p_id, p_lease_token, 'pending', now() + make_interval(secs => p_delay_s),
        p_refund_attempt, false, p_error_code, p_error_message
    );
$$;

-- Gives an unfinished request back on shutdown, due now, without charging the attempt.
CREATE FUNCTION hand_back_request(p_id uuid, p_lease_token uuid)
RETURNS summary_requests
LANGUAGE sql
SET search_path = pg_catalog, public
AS $$
    SELECT * FROM release_request(p_id, p_lease_token, 'pending', now(), true, true, NULL, NULL);
$$;

CREATE FUNCTION cancel_summary_request(p_id uuid)
RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    changed summary_requests;
BEGIN
    UPDATE summary_requests SET status = 'canceled', updated_at = now()
    WHERE id = p_id AND status = 'pending'
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        PERFORM refuse_transition(p_id, 'canceled', 'pending');
    END IF;
    RETURN changed;
END;
$$;

-- p_send_at NULL means now.
CREATE FUNCTION reschedule_summary_request(p_id uuid, p_send_at timestamptz)
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
    WHERE id = p_id AND status = 'pending'
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        PERFORM refuse_transition(p_id, 'rescheduled', 'pending');
    END IF;
    RETURN changed;
END;
$$;

-- A failed request starts over with fresh attempts; stages that finished stay done.
CREATE FUNCTION retry_summary_request(p_id uuid)
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
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        PERFORM refuse_transition(p_id, 'retried', 'failed');
    END IF;
    RETURN changed;
END;
$$;

-- The scheduler's reads: transcripts it may reuse, and the queue it works on.

-- A transcript of this audio, or of an earlier upload of the very same bytes.
CREATE FUNCTION find_transcript(p_audio_id uuid)
RETURNS TABLE (id uuid, text text, language text, segments jsonb)
LANGUAGE sql STABLE
SET search_path = pg_catalog, public
AS $$
    SELECT t.id, t.text, t.language, t.segments
    FROM transcripts t JOIN audio_assets a ON a.id = t.audio_id
    WHERE a.id = p_audio_id
       OR a.sha256 = (SELECT sha256 FROM audio_assets WHERE audio_assets.id = p_audio_id)
    ORDER BY (a.id = p_audio_id) DESC, t.created_at
    LIMIT 1;
$$;

CREATE FUNCTION get_transcript(p_id uuid)
RETURNS TABLE (id uuid, text text, language text, segments jsonb)
LANGUAGE sql STABLE
SET search_path = pg_catalog, public
AS $$
    SELECT t.id, t.text, t.language, t.segments FROM transcripts t WHERE t.id = p_id;
$$;

-- Seconds until a pending request falls due or a lease expires (never negative); NULL if
-- neither will happen.
CREATE FUNCTION seconds_until_next_due()
RETURNS double precision
LANGUAGE sql STABLE
SET search_path = pg_catalog, public
AS $$
    SELECT greatest(0, extract(epoch FROM least(
        (SELECT min(due_at) FROM summary_requests WHERE status = 'pending'),
        (SELECT min(locked_until) FROM summary_requests WHERE status = 'processing')
    ) - now()))::double precision;
$$;

CREATE FUNCTION request_queue_depth(
    OUT due bigint, OUT scheduled bigint, OUT processing bigint, OUT failed bigint
)
LANGUAGE sql STABLE
SET search_path = pg_catalog, public
AS $$
    SELECT count(*) FILTER (WHERE status = 'pending' AND due_at <= now()),
           count(*) FILTER (WHERE status = 'pending' AND due_at > now()),
           count(*) FILTER (WHERE status = 'processing'),
           count(*) FILTER (WHERE status = 'failed')
    FROM summary_requests;
$$;

-- Nobody but the services may call these or read the view. On Supabase every new function in
-- `public` is granted to the REST API's roles and served at /rest/v1/rpc/<name>: without this,
-- anyone holding the public anon key could cancel a request or mark it sent. Default privileges
-- are revoked too, so objects later migrations create start out closed.
DO $$
DECLARE
    function_signature regprocedure;
    api_role text;
BEGIN
    FOR function_signature IN
        SELECT p.oid::regprocedure FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
          AND p.prorettype <> 'trigger'::regtype
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', function_signature);
    END LOOP;
    ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
    FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT FROM pg_roles WHERE rolname = api_role);
        EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM %I', api_role);
        EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', api_role);
        EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', api_role);
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON FUNCTIONS FROM %I', api_role
        );
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM %I', api_role
        );
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM %I', api_role
        );
    END LOOP;
END
$$;
