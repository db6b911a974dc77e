-- Transcription pods lost while working on a request. A pod that dies mid-call (the kernel's
-- OOM killer, most often: a recording that needs more memory than a pod has) answers
-- UNAVAILABLE, which alone looks transient; retried on pod after pod, one upload could take the
-- whole pool down. The scheduler counts these deaths here, across all of a request's attempts,
-- and fails the request (`audio_too_demanding`) once its transcription killed two pods.
-- A user's retry (retry_summary_request) keeps the count: the recording is the same.
--
-- Allowed transitions, as in the table of 20261130130000_request_states.sql
-- (tests/scheduler/test_transitions.py reads both):
--
--   transition                   from                           to
--   record_transcriber_death     processing (own lease)         processing
--
-- Like every function since 20261130130300_request_reads_and_grants.sql, it starts out closed
-- to PUBLIC and to Supabase's API roles (default privileges); only the services call it.

ALTER TABLE summary_requests
    ADD COLUMN transcriber_deaths integer NOT NULL DEFAULT 0
        CONSTRAINT summary_requests_transcriber_deaths_check CHECK (transcriber_deaths >= 0);

-- One more transcription pod died while transcribing this request; the row as written, with
-- the new count.
CREATE FUNCTION record_transcriber_death(p_id uuid, p_lease_token uuid)
RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    changed summary_requests;
BEGIN
    UPDATE summary_requests
    SET transcriber_deaths = transcriber_deaths + 1, updated_at = now()
    WHERE id = p_id AND lease_token = p_lease_token AND status = 'processing'
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        PERFORM refuse_lease(p_id);
    END IF;
    RETURN changed;
END;
$$;
