-- "Email me my notes": a link, valid for an hour, to the page listing every note sent to an
-- address. Opening it also confirms the address (confirm_recipient takes its token too).

-- Stores the link's token when the address has notes; false (and nothing stored) otherwise.
-- The caller answers the same either way and sends the email out of band, so that the answer
-- tells nobody whether an address is known.
CREATE FUNCTION request_notes_link(p_email text, p_token_hash bytea)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM summary_requests WHERE email = p_email) THEN
        RETURN false;
    END IF;
    PERFORM add_recipient_token(p_email, 'notes', p_token_hash, interval '1 hour');
    RETURN true;
END;
$$;

REVOKE ALL ON FUNCTION request_notes_link(text, bytea) FROM PUBLIC;

