-- Only the services reach the data: Supabase's public API roles get nothing.
--
-- On Supabase, `anon` and `authenticated` are the roles of its REST and GraphQL APIs, and its
-- default privileges grant them every new table and function in `public`. Row level security
-- stays enabled with no policy (20261127000000_init.sql), which hides every row from them;
-- revoking their grants as well means a policy added by mistake one day still exposes nothing.
-- The services connect as the table owner (`postgres`), which row level security lets through.
--
-- Runs unchanged on plain PostgreSQL 15+, where those roles do not exist.

-- claim_due_requests hands out work and leases: callable by its owner and whom it grants.
REVOKE EXECUTE ON FUNCTION claim_due_requests(integer, text, integer) FROM PUBLIC;

DO $$
DECLARE
    api_role text;
BEGIN
    -- `make migrate` keeps its ledger in public.schema_migrations: no API role may read or
    -- rewrite it (`supabase db push` keeps its own in the supabase_migrations schema).
    IF to_regclass('public.schema_migrations') IS NOT NULL THEN
        ALTER TABLE public.schema_migrations ENABLE ROW LEVEL SECURITY;
    END IF;
    FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT FROM pg_roles WHERE rolname = api_role);
        EXECUTE format(
            'REVOKE EXECUTE ON FUNCTION claim_due_requests(integer, text, integer) FROM %I',
            api_role
        );
        EXECUTE format(
            'REVOKE ALL ON audio_assets, transcripts, summary_requests, email_deliveries FROM %I',
            api_role
        );
        IF to_regclass('public.schema_migrations') IS NOT NULL THEN
            EXECUTE format('REVOKE ALL ON public.schema_migrations FROM %I', api_role);
        END IF;
    END LOOP;
END
$$;
