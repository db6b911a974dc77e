-- A HOOK, NOT A FEATURE: the scheduler mints a capability for a request's status page when it
-- emails the summary, and stores it through this function. Request capabilities themselves
-- (access tokens stored as hashes, several per request, checked on every read) are built on
-- another branch (issue 13, work-13a); until it lands this stub keeps nothing, so the email's
-- status link works only where reading a request needs no token. When both meet, delete this
-- file and give that branch's table an add_request_capability(uuid, bytea) of the same shape.
CREATE FUNCTION add_request_capability(p_id uuid, p_token_hash bytea)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, public
AS $$
    SELECT;
$$;

REVOKE ALL ON FUNCTION add_request_capability(uuid, bytea) FROM PUBLIC;
