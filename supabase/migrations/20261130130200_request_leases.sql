-- The transitions a scheduler makes while it holds a request's lease: each one requires the row
-- to be `processing` with the caller's lease token, and raises object_not_in_prerequisite_state
-- (the scheduler's LeaseLost) otherwise. Allowed transitions: 20261130130000_request_states.sql.

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
