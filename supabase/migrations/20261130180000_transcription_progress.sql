-- How far the transcription of a processing request has come, for its status page: the share
-- of the audio transcribed (audio seconds done / duration, 0 to 1) and when the transcription
-- now running started, from which a reader estimates the time left. The scheduler writes it
-- from the progress messages of TranscribeStream, at most about once every 2 s, and each write
-- also renews the lease (a 2-hour note transcribes for longer than a lease lasts).
--
-- New transitions, as in the table of 20261130130000_request_states.sql
-- (tests/scheduler/test_transitions.py reads every migration's table):
--
--   transition                       from                           to
--   record_transcription_progress    processing (own lease)         processing
--
-- Progress means something only while a request is processing and transcribing: it is NULL
-- otherwise. A trigger clears it whenever the stage or the lease changes (the next stage
-- started, the request was released, or another scheduler took it over), so no path that
-- leaves transcribing can leave a stale figure behind; reads need no further check.
--
-- Like every function since 20261130130300_request_reads_and_grants.sql, it starts out closed
-- to PUBLIC and to Supabase's API roles (default privileges); only the services call it.

ALTER TABLE summary_requests
    ADD COLUMN transcription_progress double precision
        CONSTRAINT summary_requests_transcription_progress_check
        CHECK (transcription_progress BETWEEN 0 AND 1),
    ADD COLUMN transcription_started_at timestamptz;

-- Stores the progress of the transcription the caller runs and pushes its lease forward, in one
-- write. A figure below the stored one means a new transcription started (the pod working on
-- it died and another took over): the start time moves to now, so that the estimate of the
-- time left is that of the transcription now running. Outside the transcribing stage it only
-- renews the lease: progress stays NULL there.
CREATE FUNCTION record_transcription_progress(
    p_id uuid, p_lease_token uuid, p_progress double precision, p_lease_seconds integer
) RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    changed summary_requests;
    done double precision := least(1, greatest(0, p_progress));
BEGIN
    UPDATE summary_requests
    SET transcription_progress = CASE WHEN stage = 'transcribing' THEN done END,
        transcription_started_at = CASE
            WHEN stage <> 'transcribing' OR stage IS NULL THEN NULL
            WHEN transcription_progress IS NULL OR done < transcription_progress THEN now()
            ELSE transcription_started_at
        END,
        locked_until = greatest(locked_until, now() + make_interval(secs => p_lease_seconds))
    WHERE id = p_id AND lease_token = p_lease_token AND status = 'processing'
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        PERFORM refuse_lease(p_id);
    END IF;
    RETURN changed;
END;
$$;

-- A new stage, a released request or a new lease ends the transcription the figure was about.
CREATE FUNCTION clear_transcription_progress()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
BEGIN
    NEW.transcription_progress := NULL;
    NEW.transcription_started_at := NULL;
    RETURN NEW;
END;
$$;

CREATE TRIGGER summary_requests_clear_transcription_progress
BEFORE UPDATE ON summary_requests
FOR EACH ROW
WHEN (OLD.stage IS DISTINCT FROM NEW.stage
      OR OLD.lease_token IS DISTINCT FROM NEW.lease_token
      OR OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION clear_transcription_progress();
