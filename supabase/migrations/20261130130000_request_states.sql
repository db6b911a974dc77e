-- The database is the state machine of a summary request: its states (here), its transitions
-- (the functions of 20261130130100_request_transitions.sql and 20261130130200_request_leases.sql)
-- and who may call them (20261130130300_request_reads_and_grants.sql). Every write to
-- summary_requests is one of those functions, and each checks the row's status (and, while a
-- scheduler works on it, the lease token) before it changes anything.
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
