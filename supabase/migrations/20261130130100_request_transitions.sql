-- The request's transitions outside a lease: create, claim, and the user's cancel, reschedule
-- and retry. The table of allowed transitions is in 20261130130000_request_states.sql.

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
