-- Capabilities that end. A "my notes" page gives each note it lists a capability of its own;
-- before this, every view of the page minted new ones that lived as long as the note, so one
-- link reloaded in a loop grew request_capabilities (and the work of every check, which
-- compares the presented token with each of a request's hashes) without bound.
--
-- Now such a capability is derived from the notes token (ingest: HMAC of the request id with
-- the token), so every view of one link adds the same rows, and it expires with that token.
-- A capability with no expiry (the creator's, the summary email's) lives as long as its request.
-- No state transitions: request_capabilities rows are not a request's state.

ALTER TABLE request_capabilities ADD COLUMN expires_at timestamptz;

DROP FUNCTION add_request_capability(uuid, bytea, text);

-- Adds a capability (the SHA-256 of a token the caller made) to a live request, until
-- p_expires_at (NULL: as long as the request). Adding one that exists again keeps it.
-- Raises no_data_found for an unknown or deleted request.
CREATE FUNCTION add_request_capability(
    p_id uuid, p_token_hash bytea, p_purpose text, p_expires_at timestamptz DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
BEGIN
    PERFORM 1 FROM summary_requests WHERE id = p_id AND status::text <> 'deleted';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no summary request with id %', p_id USING ERRCODE = 'no_data_found';
    END IF;
    INSERT INTO request_capabilities (summary_request_id, token_hash, purpose, expires_at)
    VALUES (p_id, p_token_hash, p_purpose, p_expires_at)
    ON CONFLICT DO NOTHING;
END;
$$;

-- The hashes of a request's capabilities that have not expired.
CREATE FUNCTION request_capability_hashes(p_id uuid)
RETURNS SETOF bytea
LANGUAGE sql STABLE
SET search_path = pg_catalog, public
AS $$
    SELECT token_hash FROM request_capabilities
    WHERE summary_request_id = p_id AND (expires_at IS NULL OR expires_at > now());
$$;

-- The address a "my notes" token lists and when the token expires; no_data_found for an
-- unknown or expired one (as recipient_token_owner).
CREATE FUNCTION notes_token_owner(p_token_hash bytea)
RETURNS TABLE (email text, expires_at timestamptz)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, public
AS $$
BEGIN
    RETURN QUERY
    SELECT t.email, t.expires_at FROM recipient_tokens AS t
    WHERE t.token_hash = p_token_hash AND t.purpose = 'notes' AND t.expires_at > now();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown or expired token' USING ERRCODE = 'no_data_found';
    END IF;
END;
$$;

-- Removes up to p_limit capabilities that expired (the retention sweep calls it); how many.
CREATE FUNCTION purge_expired_capabilities(p_limit integer)
RETURNS integer
LANGUAGE sql
SET search_path = pg_catalog, public
AS $$
    WITH gone AS (
        DELETE FROM request_capabilities
        WHERE ctid IN (
            SELECT ctid FROM request_capabilities
            WHERE expires_at <= now()
            LIMIT p_limit
        )
        RETURNING 1
    )
    SELECT count(*)::integer FROM gone;
$$;

REVOKE ALL ON FUNCTION add_request_capability(uuid, bytea, text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION request_capability_hashes(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION notes_token_owner(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION purge_expired_capabilities(integer) FROM PUBLIC;
