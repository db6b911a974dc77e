-- Webhooks: a request created with a webhook_url gets one signed event POSTed to it when it
-- ends, `summary.sent` or `summary.failed`, retried with backoff for at least a day.
--
-- Who owns what (docs/architecture.md says the same): ingest owns webhook_deliveries and
-- webhook_attempts, as it owns summary_requests; its delivery loop (ingest_svc/webhooks.py) is
-- the only code that claims and records deliveries, through the functions below.
--
-- Every way a request ends enqueues its event in the same transaction: the trigger below
-- watches the row itself, so mark_request_sent, mark_request_failed, claim_due_requests
-- (gave_up), expire_unconfirmed_requests, unsubscribe_recipient, and a request created failed
-- (its address unsubscribed) all enqueue one, and so will any transition added later. A
-- request retried after failing and ending again gets a new event; a deleted request loses
-- its events (content and all) with its webhook_url.
--
-- Allowed transitions, as in the table of 20261130130000_request_states.sql
-- (tests/scheduler/test_transitions.py reads both). set_request_webhook is allowed only in the
-- transaction that created the request (its created_at is that transaction's now()), so an
-- existing request, whatever its status, never gains a webhook:
--
--   transition                   from                           to
--   set_request_webhook          (new row, same transaction)    unchanged

ALTER TABLE summary_requests ADD COLUMN webhook_url text;

CREATE TYPE webhook_event_type AS ENUM ('summary.sent', 'summary.failed');
-- pending: waiting for its next attempt (or being attempted, under a lease); delivered: a 2xx
-- answer; failed: no 2xx answer within the retry window.
CREATE TYPE webhook_delivery_status AS ENUM ('pending', 'delivered', 'failed');

-- One event for one endpoint. Its id is the event's `webhook-id`: the same on every retry, so
-- that a receiver can drop a duplicate.
CREATE TABLE webhook_deliveries (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    summary_request_id uuid NOT NULL REFERENCES summary_requests (id) ON DELETE CASCADE,
    event_type         webhook_event_type NOT NULL,
    url                text NOT NULL,
    status             webhook_delivery_status NOT NULL DEFAULT 'pending',
    -- The JSON body, made at the first attempt and kept, so every retry sends the same bytes.
    payload            text,
    attempts           integer NOT NULL DEFAULT 0,
    next_attempt_at    timestamptz NOT NULL DEFAULT now(),
    -- A delivery loop holds the event while it sends it; an expired lease (the process died)
    -- lets another take it up.
    lease_token        uuid,
    locked_until       timestamptz,
    delivered_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_request_idx ON webhook_deliveries (summary_request_id, created_at);

-- Each attempt, as the request shows it: when, the receiver's HTTP status (NULL when none
-- came: refused address, timeout, connection error) and why it did not count (NULL if it did).
CREATE TABLE webhook_attempts (
    delivery_id  uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    number       integer NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    status_code  integer,
    error        text,
    PRIMARY KEY (delivery_id, number)
);

ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_attempts ENABLE ROW LEVEL SECURITY;

-- Gives a request created in this transaction its webhook. created_at = now() holds only in
-- the transaction that inserted the row (now() is the transaction's start), so the function
-- cannot add a webhook to an existing request. A request created failed (its address
-- unsubscribed) has ended already: the trigger enqueues its event here.
CREATE FUNCTION set_request_webhook(p_id uuid, p_url text)
RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    changed summary_requests;
BEGIN
    UPDATE summary_requests SET webhook_url = p_url
    WHERE id = p_id AND webhook_url IS NULL AND created_at = now() AND status <> 'deleted'
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        IF NOT EXISTS (SELECT FROM summary_requests WHERE id = p_id AND status <> 'deleted') THEN
            RAISE EXCEPTION 'no summary request with id %', p_id USING ERRCODE = 'no_data_found';
        END IF;
        RAISE EXCEPTION 'a webhook is set only when its request is created'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN changed;
END;
$$;

-- The event of a request that has just ended, in the transaction that ended it.
CREATE FUNCTION enqueue_webhook_event() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
BEGIN
    IF NEW.status = 'deleted' THEN
        DELETE FROM webhook_deliveries WHERE summary_request_id = NEW.id;
    ELSIF NEW.webhook_url IS NOT NULL AND NEW.status IN ('sent', 'failed')
          AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status
               OR OLD.webhook_url IS NULL) THEN
        INSERT INTO webhook_deliveries (summary_request_id, event_type, url)
        VALUES (NEW.id, ('summary.' || NEW.status)::webhook_event_type, NEW.webhook_url);
        PERFORM pg_notify('webhook_deliveries_due', NEW.id::text);
    END IF;
    RETURN NULL;
END;
$$;

-- The WHEN clauses (evaluated without calling the function) keep the function off the
-- transitions that cannot concern it: most requests have no webhook, and most transitions
-- don't end one.
CREATE TRIGGER summary_requests_webhook_events_on_insert
    AFTER INSERT ON summary_requests
    FOR EACH ROW
    WHEN (NEW.webhook_url IS NOT NULL AND NEW.status IN ('sent', 'failed'))
    EXECUTE FUNCTION enqueue_webhook_event();

CREATE TRIGGER summary_requests_webhook_events
    AFTER UPDATE OF status, webhook_url ON summary_requests
    FOR EACH ROW
    WHEN (NEW.status = 'deleted'
          OR (NEW.webhook_url IS NOT NULL AND NEW.status IN ('sent', 'failed')
              AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.webhook_url IS NULL)))
    EXECUTE FUNCTION enqueue_webhook_event();

-- A tombstone keeps no endpoint (delete_summary_request and retention clear the content).
CREATE FUNCTION forget_deleted_webhook() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
BEGIN
    IF NEW.status = 'deleted' THEN
        NEW.webhook_url := NULL;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER summary_requests_forget_deleted_webhook
    BEFORE UPDATE OF status ON summary_requests
    FOR EACH ROW
    WHEN (NEW.status = 'deleted' AND NEW.webhook_url IS NOT NULL)
    EXECUTE FUNCTION forget_deleted_webhook();

-- Claims up to p_batch due events for one delivery loop, under a lease. SKIP LOCKED lets
-- several ingest replicas claim at once without sharing an event.
CREATE FUNCTION claim_webhook_deliveries(p_batch integer, p_lease_seconds integer)
RETURNS SETOF webhook_deliveries
LANGUAGE sql
SET search_path = pg_catalog, public
AS $$
    WITH due AS (
        SELECT id FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at <= now()
          AND (locked_until IS NULL OR locked_until < now())
        ORDER BY next_attempt_at, id
        LIMIT p_batch
        FOR UPDATE SKIP LOCKED
    )
    UPDATE webhook_deliveries AS w
    SET lease_token = gen_random_uuid(),
        locked_until = now() + make_interval(secs => p_lease_seconds)
    FROM due
    WHERE w.id = due.id
    RETURNING w.*;
$$;

-- Raises the error a delivery loop gets when the event is no longer its own (its lease ran
-- out and another loop took it, or the request was deleted).
CREATE FUNCTION refuse_webhook_lease(p_id uuid)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
BEGIN
    RAISE EXCEPTION 'webhook delivery % is no longer held by this lease', p_id
        USING ERRCODE = 'object_not_in_prerequisite_state';
END;
$$;

-- Keeps the event's body (the first one made wins); answers the body to send.
CREATE FUNCTION keep_webhook_payload(p_id uuid, p_lease_token uuid, p_payload text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    kept text;
BEGIN
    UPDATE webhook_deliveries SET payload = coalesce(payload, p_payload)
    WHERE id = p_id AND lease_token = p_lease_token AND status = 'pending'
    RETURNING payload INTO kept;
    IF NOT FOUND THEN
        PERFORM refuse_webhook_lease(p_id);
    END IF;
    RETURN kept;
END;
$$;

-- Records one attempt and releases the lease. p_error NULL: delivered. Otherwise the event is
-- tried again after p_retry_in_s, or, with p_retry_in_s NULL, has failed for good.
CREATE FUNCTION record_webhook_attempt(
    p_id uuid,
    p_lease_token uuid,
    p_status_code integer,
    p_error text,
    p_retry_in_s double precision
) RETURNS webhook_deliveries
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    changed webhook_deliveries;
BEGIN
    UPDATE webhook_deliveries
    SET attempts = attempts + 1,
        status = CASE WHEN p_error IS NULL THEN 'delivered'
                      WHEN p_retry_in_s IS NULL THEN 'failed'
                      ELSE 'pending' END::webhook_delivery_status,
        next_attempt_at = CASE WHEN p_error IS NOT NULL AND p_retry_in_s IS NOT NULL
                               THEN now() + make_interval(secs => p_retry_in_s)
                               ELSE next_attempt_at END,
        delivered_at = CASE WHEN p_error IS NULL THEN now() END,
        lease_token = NULL, locked_until = NULL, updated_at = now()
    WHERE id = p_id AND lease_token = p_lease_token AND status = 'pending'
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        PERFORM refuse_webhook_lease(p_id);
    END IF;
    INSERT INTO webhook_attempts (delivery_id, number, status_code, error)
    VALUES (p_id, changed.attempts, p_status_code, p_error);
    RETURN changed;
END;
$$;

-- Seconds until the next event falls due or a lease expires (never negative); NULL if none.
CREATE FUNCTION seconds_until_next_webhook()
RETURNS double precision
LANGUAGE sql STABLE
SET search_path = pg_catalog, public
AS $$
    SELECT greatest(0, extract(epoch FROM min(greatest(next_attempt_at, locked_until)) - now()))
           ::double precision
    FROM webhook_deliveries WHERE status = 'pending';
$$;

-- A request's latest event as the request shows it (JSON), with every attempt; NULL if none.
CREATE FUNCTION request_webhook(p_summary_request_id uuid)
RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, public
AS $$
    SELECT jsonb_build_object(
        'id', w.id, 'event_type', w.event_type, 'status', w.status,
        'next_attempt_at', CASE WHEN w.status = 'pending' THEN w.next_attempt_at END,
        'delivered_at', w.delivered_at,
        'attempts', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                'attempted_at', a.attempted_at, 'status_code', a.status_code, 'error', a.error
            ) ORDER BY a.number)
            FROM webhook_attempts a WHERE a.delivery_id = w.id
        ), '[]'::jsonb))
    FROM webhook_deliveries w
    WHERE w.summary_request_id = p_summary_request_id
    ORDER BY w.created_at DESC, w.id
    LIMIT 1;
$$;

-- Closed to everyone but the owner, like every state function (20261130130300).
REVOKE ALL ON FUNCTION set_request_webhook(uuid, text), claim_webhook_deliveries(integer, integer),
    refuse_webhook_lease(uuid),
    keep_webhook_payload(uuid, uuid, text),
    record_webhook_attempt(uuid, uuid, integer, text, double precision),
    seconds_until_next_webhook(), request_webhook(uuid) FROM PUBLIC;
