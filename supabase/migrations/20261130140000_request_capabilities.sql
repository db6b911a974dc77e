-- Capabilities, deletion and retention. The service stays accountless: a random token (256
-- bits, URL-safe) is the credential, shown to its holder once and kept here only as its
-- SHA-256. A fast hash is enough: the tokens are random, not passwords a dictionary could find.
--
-- Who owns what (added to the table of 20261130130000_request_states.sql):
--
--   table                  owner    how others reach it
--   audio_assets           ingest   upload_token_hash: who may use the file (its uploader)
--   request_capabilities   ingest   add_request_capability(): another service (notify, for the
--                                   summary email's status link) mints a token for a request
--
-- New transitions (tests/scheduler/test_transitions.py reads this table with the first one):
--
--   transition                   from                           to
--   delete_summary_request       pending                        deleted
--   delete_summary_request       processing                     deleted
--   delete_summary_request       sent                           deleted
--   delete_summary_request       failed                         deleted
--   delete_summary_request       canceled                       deleted
--   expire_summary_requests      sent (older than retention)    deleted
--   expire_summary_requests      failed (older than retention)  deleted
--   expire_summary_requests      canceled (older than retention)  deleted
--
-- A deleted request is a tombstone: its id, status, times and audio id stay (so that nothing
-- that refers to it dangles); its address, transcript, summary and error are gone, and every
-- read answers as for an unknown id. Deleting a processing request takes its lease away: the
-- scheduler's next lease-guarded call is refused and it drops the request.

ALTER TYPE summary_request_status ADD VALUE 'deleted';

-- Who uploaded the file: only the holder of this token may make requests of it. NULL for files
-- stored before capabilities existed, which nobody can use any more.
ALTER TABLE audio_assets
    ADD COLUMN upload_token_hash bytea CHECK (octet_length(upload_token_hash) = 32),
    -- When the stored object was removed (deleted with its last request, or swept).
    ADD COLUMN purged_at timestamptz;

-- A request may have several capabilities: the one its creator got, and e.g. one minted for
-- the link in its email. Each is a SHA-256 of a token; deleting the request deletes them.
CREATE TABLE request_capabilities (
    summary_request_id  uuid NOT NULL REFERENCES summary_requests (id) ON DELETE CASCADE,
    token_hash          bytea NOT NULL CHECK (octet_length(token_hash) = 32),
    purpose             text NOT NULL DEFAULT 'creator',
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (summary_request_id, token_hash)
);
ALTER TABLE request_capabilities ENABLE ROW LEVEL SECURITY;

-- Adds a capability (the SHA-256 of a token the caller made) to a live request. Raises
-- no_data_found for an unknown or deleted request. voice_core.capabilities.mint_request_capability
-- makes the token, calls this and returns the token.
CREATE FUNCTION add_request_capability(p_id uuid, p_token_hash bytea, p_purpose text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
BEGIN
    PERFORM 1 FROM summary_requests WHERE id = p_id AND status::text <> 'deleted';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no summary request with id %', p_id USING ERRCODE = 'no_data_found';
    END IF;
    INSERT INTO request_capabilities (summary_request_id, token_hash, purpose)
    VALUES (p_id, p_token_hash, p_purpose)
    ON CONFLICT DO NOTHING;
END;
$$;

-- Removes what a request's tombstone must not keep, once the row itself is a tombstone: its
-- capabilities, its transcript unless a live request still uses it, and its audio unless a
-- live request still uses that file. Answers the stored objects the caller must delete.
CREATE FUNCTION purge_request_content(p_audio_id uuid, p_transcript_id uuid)
RETURNS TABLE (storage_backend text, storage_path text)
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    audio_in_use boolean;
BEGIN
    SELECT EXISTS (
        SELECT FROM summary_requests r WHERE r.audio_id = p_audio_id AND r.status::text <> 'deleted'
    ) INTO audio_in_use;
    -- The request's transcript goes unless a live request uses it, or the file it was made
    -- from (the next request of that file reuses it).
    DELETE FROM transcripts t WHERE t.id = p_transcript_id
        AND NOT EXISTS (SELECT FROM summary_requests r WHERE r.transcript_id = t.id)
        AND NOT EXISTS (SELECT FROM summary_requests r
                        WHERE r.audio_id = t.audio_id AND r.status::text <> 'deleted');
    IF audio_in_use THEN
        RETURN;
    END IF;
    DELETE FROM transcripts t WHERE t.audio_id = p_audio_id
        AND NOT EXISTS (SELECT FROM summary_requests r WHERE r.transcript_id = t.id);
    RETURN QUERY
        UPDATE audio_assets a SET purged_at = now(), upload_token_hash = NULL, filename = ''
        WHERE a.id = p_audio_id AND a.purged_at IS NULL
        RETURNING a.storage_backend, a.storage_path;
END;
$$;

-- The owner's delete: the request becomes a tombstone, whatever its status (a processing one
-- loses its lease). Answers the stored objects to delete. no_data_found if unknown or deleted.
CREATE FUNCTION delete_summary_request(p_id uuid)
RETURNS TABLE (storage_backend text, storage_path text)
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    old_audio_id uuid;
    old_transcript_id uuid;
BEGIN
    SELECT r.audio_id, r.transcript_id INTO old_audio_id, old_transcript_id
    FROM summary_requests r WHERE r.id = p_id AND r.status::text <> 'deleted' FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no summary request with id %', p_id USING ERRCODE = 'no_data_found';
    END IF;
    UPDATE summary_requests r
    SET status = 'deleted', stage = NULL, locked_by = NULL, locked_until = NULL,
        lease_token = NULL, email = '', raw_transcript = NULL, transcript_source = NULL,
        transcript_id = NULL, summary_bullets = NULL, summary_next_step = NULL,
        next_step_found = NULL, error_code = NULL, error_message = NULL, time_zone = '',
        updated_at = now()
    WHERE r.id = p_id;
    DELETE FROM request_capabilities c WHERE c.summary_request_id = p_id;
    RETURN QUERY SELECT * FROM purge_request_content(old_audio_id, old_transcript_id);
END;
$$;

-- Retention: finished requests last changed more than p_days ago become tombstones, and files
-- uploaded that long ago but never used by a live request are purged. Answers the stored
-- objects to delete; at most p_limit requests a call, so that one call never holds many locks.
CREATE FUNCTION expire_summary_requests(p_days integer, p_limit integer)
RETURNS TABLE (storage_backend text, storage_path text, expired_requests integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    expired uuid;
    expired_count integer := 0;
    cutoff timestamptz := now() - make_interval(days => p_days);
BEGIN
    FOR expired IN
        SELECT r.id FROM summary_requests r
        WHERE r.status::text IN ('sent', 'failed', 'canceled') AND r.updated_at < cutoff
        ORDER BY r.updated_at LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    LOOP
        expired_count := expired_count + 1;
        RETURN QUERY SELECT d.storage_backend, d.storage_path, NULL::integer
            FROM delete_summary_request(expired) d;
    END LOOP;
    RETURN QUERY
        WITH unused AS (
            SELECT a.id FROM audio_assets a
            WHERE a.purged_at IS NULL AND a.created_at < cutoff
              AND NOT EXISTS (SELECT FROM summary_requests r
                              WHERE r.audio_id = a.id AND r.status::text <> 'deleted')
            LIMIT p_limit
        )
        SELECT p.storage_backend, p.storage_path, NULL::integer
        FROM unused, purge_request_content(unused.id, NULL) p;
    RETURN QUERY SELECT NULL::text, NULL::text, expired_count;
END;
$$;

REVOKE ALL ON FUNCTION add_request_capability(uuid, bytea, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION purge_request_content(uuid, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION delete_summary_request(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION expire_summary_requests(integer, integer) FROM PUBLIC;
DO $$
DECLARE
    api_role text;
BEGIN
    FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT FROM pg_roles WHERE rolname = api_role);
        EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM %I', api_role);
        EXECUTE format('REVOKE ALL ON request_capabilities FROM %I', api_role);
    END LOOP;
END
$$;
