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

-- The address whose notes a "my notes" token lists; no_data_found if unknown or expired.
CREATE FUNCTION notes_token_owner(p_token_hash bytea)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, public
AS $$
DECLARE
    owner_email text;
BEGIN
    SELECT email INTO owner_email FROM recipient_tokens
    WHERE token_hash = p_token_hash AND purpose = 'notes' AND expires_at > now();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown or expired token' USING ERRCODE = 'no_data_found';
    END IF;
    RETURN owner_email;
END;
$$;

REVOKE ALL ON FUNCTION request_notes_link(text, bytea), notes_token_owner(bytea) FROM PUBLIC;

