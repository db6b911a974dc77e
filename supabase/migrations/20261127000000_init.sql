-- Voice notes → emailed summaries: the initial schema.
-- Runs unchanged on plain PostgreSQL 15+ and on Supabase (gen_random_uuid is built in).

CREATE TABLE audio_assets (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    storage_backend  text NOT NULL CHECK (storage_backend IN ('local', 'supabase')),
    storage_path     text NOT NULL,
    filename         text NOT NULL DEFAULT '',
    content_type     text NOT NULL,
    size_bytes       bigint NOT NULL CHECK (size_bytes > 0),
    sha256           text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    duration_s       double precision,
    created_at       timestamptz NOT NULL DEFAULT now()
);
-- Transcripts are reused across uploads of the same bytes.
CREATE INDEX audio_assets_sha256_idx ON audio_assets (sha256);

CREATE TABLE transcripts (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    audio_id              uuid NOT NULL UNIQUE REFERENCES audio_assets (id) ON DELETE CASCADE,
    text                  text NOT NULL,
    language              text NOT NULL DEFAULT '',
    language_probability  double precision,
    duration_s            double precision,
    segments              jsonb NOT NULL DEFAULT '[]'::jsonb,
    model                 text NOT NULL DEFAULT '',
    no_speech             boolean NOT NULL DEFAULT false,
    created_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE summary_requests (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email              text NOT NULL,
    audio_id           uuid NOT NULL REFERENCES audio_assets (id),
    raw_transcript     text,
    send_at            timestamptz NOT NULL DEFAULT now(),
    -- When a scheduler may next claim it: send_at at first, later than that after a retry.
    due_at             timestamptz NOT NULL DEFAULT now(),
    status             text NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'processing', 'sent', 'failed', 'canceled')),
    -- What a processing request is doing now; NULL otherwise.
    stage              text CHECK (stage IN ('transcribing', 'summarizing', 'emailing')),
    attempts           integer NOT NULL DEFAULT 0,
    -- The lease of the scheduler working on it.
    locked_by          text,
    locked_until       timestamptz,
    lease_token        uuid,
    -- What each stage produced, kept so that a retry skips finished stages.
    transcript_source  text CHECK (transcript_source IN ('raw', 'existing', 'transcribed')),
    transcript_id      uuid REFERENCES transcripts (id),
    summary_bullets    jsonb,
    summary_next_step  text,
    next_step_found    boolean,
    error_code         text,
    error_message      text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
-- The claim query's access paths: due pending rows, and processing rows whose lease expired.
CREATE INDEX summary_requests_due_idx ON summary_requests (due_at, id) WHERE status = 'pending';
CREATE INDEX summary_requests_lease_idx ON summary_requests (locked_until)
    WHERE status = 'processing';
CREATE INDEX summary_requests_email_idx ON summary_requests (email, created_at DESC);

CREATE TABLE email_deliveries (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- One delivery per request: the guard against a second email.
    request_id             uuid NOT NULL UNIQUE REFERENCES summary_requests (id) ON DELETE CASCADE,
    recipient              text NOT NULL,
    provider               text NOT NULL CHECK (provider IN ('outbox', 'mailjet')),
    status                 text NOT NULL DEFAULT 'sending'
                           CHECK (status IN ('sending', 'sent', 'failed')),
    -- Stable idempotency id sent to the provider (Mailjet CustomID, outbox Message-ID).
    custom_id              text NOT NULL,
    provider_message_id    text,
    provider_message_uuid  text,
    provider_message_href  text,
    error_message          text,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    sent_at                timestamptz
);

-- Claims up to batch_size due requests for one scheduler, atomically.
-- Due: pending with due_at reached, or processing with an expired lease (its worker died).
-- SKIP LOCKED lets several schedulers claim at once without waiting on or sharing rows;
-- the CTE keeps the planner from locking more rows than the limit.
CREATE FUNCTION claim_due_requests(
    batch_size integer,
    worker_id text DEFAULT NULL,
    lease_seconds integer DEFAULT 300
) RETURNS SETOF summary_requests
LANGUAGE sql
AS $$
    WITH due AS (
        SELECT id
        FROM summary_requests
        WHERE (status = 'pending' AND due_at <= now())
           OR (status = 'processing' AND locked_until < now())
        ORDER BY due_at, id
        LIMIT batch_size
        FOR UPDATE SKIP LOCKED
    )
    UPDATE summary_requests AS r
    SET status = 'processing',
        attempts = r.attempts + 1,
        locked_by = worker_id,
        locked_until = now() + make_interval(secs => lease_seconds),
        lease_token = gen_random_uuid(),
        updated_at = now()
    FROM due
    WHERE r.id = due.id
    RETURNING r.*;
$$;

-- Wakes idle schedulers (LISTEN summary_requests_due) the moment a request becomes due now;
-- scheduled requests are found by polling, so a missed notification only costs latency.
CREATE FUNCTION notify_summary_request_due() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.status = 'pending' AND NEW.due_at <= now() THEN
        PERFORM pg_notify('summary_requests_due', NEW.id::text);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER summary_requests_due_notify
    AFTER INSERT OR UPDATE OF status, due_at ON summary_requests
    FOR EACH ROW EXECUTE FUNCTION notify_summary_request_due();

-- Supabase exposes tables to its REST API; these are only for the services (service role).
ALTER TABLE audio_assets ENABLE ROW LEVEL SECURITY;
ALTER TABLE transcripts ENABLE ROW LEVEL SECURITY;
ALTER TABLE summary_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE email_deliveries ENABLE ROW LEVEL SECURITY;
