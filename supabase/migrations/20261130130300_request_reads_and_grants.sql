-- The scheduler's reads: transcripts it may reuse, and the queue it works on.

-- A transcript of this audio, or of an earlier upload of the very same bytes.
CREATE FUNCTION find_transcript(p_audio_id uuid)
RETURNS TABLE (id uuid, text text, language text, segments jsonb)
LANGUAGE sql STABLE
SET search_path = pg_catalog, public
AS $$
    SELECT t.id, t.text, t.language, t.segments
    FROM transcripts t JOIN audio_assets a ON a.id = t.audio_id
    WHERE a.id = p_audio_id
       OR a.sha256 = (SELECT sha256 FROM audio_assets WHERE audio_assets.id = p_audio_id)
    ORDER BY (a.id = p_audio_id) DESC, t.created_at
    LIMIT 1;
$$;

CREATE FUNCTION get_transcript(p_id uuid)
RETURNS TABLE (id uuid, text text, language text, segments jsonb)
LANGUAGE sql STABLE
SET search_path = pg_catalog, public
AS $$
    SELECT t.id, t.text, t.language, t.segments FROM transcripts t WHERE t.id = p_id;
$$;

-- Seconds until a pending request falls due or a lease expires (never negative); NULL if
-- neither will happen.
CREATE FUNCTION seconds_until_next_due()
RETURNS double precision
LANGUAGE sql STABLE
SET search_path = pg_catalog, public
AS $$
    -- NULL when nothing waits: greatest() skips NULLs, so greatest(0, NULL) would say "due now"
    -- and an idle scheduler would poll in a busy loop.
    SELECT CASE WHEN next_at IS NOT NULL
                THEN greatest(0, extract(epoch FROM next_at - now()))::double precision
           END
    FROM (SELECT least(
        (SELECT min(due_at) FROM summary_requests WHERE status = 'pending'),
        (SELECT min(locked_until) FROM summary_requests WHERE status = 'processing')
    ) AS next_at) AS next;
$$;

CREATE FUNCTION request_queue_depth(
    OUT due bigint, OUT scheduled bigint, OUT processing bigint, OUT failed bigint
)
LANGUAGE sql STABLE
SET search_path = pg_catalog, public
AS $$
    SELECT count(*) FILTER (WHERE status = 'pending' AND due_at <= now()),
           count(*) FILTER (WHERE status = 'pending' AND due_at > now()),
           count(*) FILTER (WHERE status = 'processing'),
           count(*) FILTER (WHERE status = 'failed')
    FROM summary_requests;
$$;

-- Nobody but the services may call these or read the view. On Supabase every new function in
-- `public` is granted to the REST API's roles and served at /rest/v1/rpc/<name>: without this,
-- anyone holding the public anon key could cancel a request or mark it sent. Default privileges
-- are revoked too, so objects later migrations create start out closed.
DO $$
DECLARE
    function_signature regprocedure;
    api_role text;
BEGIN
    FOR function_signature IN
        SELECT p.oid::regprocedure FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
          AND p.prorettype <> 'trigger'::regtype
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', function_signature);
    END LOOP;
    ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
    FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT FROM pg_roles WHERE rolname = api_role);
        EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM %I', api_role);
        EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', api_role);
        EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', api_role);
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON FUNCTIONS FROM %I', api_role
        );
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM %I', api_role
        );
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM %I', api_role
        );
    END LOOP;
END
$$;
