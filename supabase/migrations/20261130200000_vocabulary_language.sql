-- A request's vocabulary (names and terms said in the note, given to Whisper as hotwords) and
-- language ('' detects it), issue 17. A transcript depends on both: one recording may now have
-- several transcripts, one per (vocabulary, language asked), and a request reuses a stored one
-- (of its audio, or of an earlier upload of the same bytes) only when both are the same.
--
-- Allowed transitions, as in the table of 20261130130000_request_states.sql
-- (tests/scheduler/test_transitions.py reads both):
--
--   transition                   from                           to
--   set_request_transcription    pending                        pending
--   set_request_transcription    awaiting_confirmation          awaiting_confirmation
--
-- Like every function since 20261130130300_request_reads_and_grants.sql, these start out closed
-- to PUBLIC and to Supabase's API roles (default privileges); only the services call them.

-- The limits of voice_core/vocabulary.py, kept by the table too.
CREATE FUNCTION vocabulary_is_valid(p_vocabulary text[])
RETURNS boolean
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, public
AS $$
    SELECT coalesce(cardinality(p_vocabulary), 0) <= 50
       AND NOT EXISTS (SELECT FROM unnest(p_vocabulary) AS term
                       WHERE term IS NULL OR term = '' OR char_length(term) > 50);
$$;

-- What makes two vocabularies the same for reuse: the same terms, in any order.
CREATE FUNCTION vocabulary_key(p_vocabulary text[])
RETURNS text[]
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, public
AS $$
    SELECT coalesce(array_agg(DISTINCT term ORDER BY term), '{}') FROM unnest(p_vocabulary) AS term;
$$;

ALTER TABLE summary_requests
    ADD COLUMN vocabulary text[] NOT NULL DEFAULT '{}'
        CONSTRAINT summary_requests_vocabulary_check CHECK (vocabulary_is_valid(vocabulary)),
    -- An ISO 639-1 code, or '' to detect the language.
    ADD COLUMN language text NOT NULL DEFAULT ''
        CONSTRAINT summary_requests_language_check CHECK (language ~ '^([a-z]{2})?$');

-- `language` stays what Whisper detected (or was told); `requested_language` is what the
-- request asked for ('' detect), part of what the transcript was made with.
ALTER TABLE transcripts
    ADD COLUMN vocabulary text[] NOT NULL DEFAULT '{}'
        CONSTRAINT transcripts_vocabulary_check CHECK (vocabulary = vocabulary_key(vocabulary)),
    ADD COLUMN requested_language text NOT NULL DEFAULT ''
        CONSTRAINT transcripts_requested_language_check
        CHECK (requested_language ~ '^([a-z]{2})?$');
ALTER TABLE transcripts DROP CONSTRAINT transcripts_audio_id_key;
ALTER TABLE transcripts ADD CONSTRAINT transcripts_audio_id_vocabulary_language_key
    UNIQUE (audio_id, vocabulary, requested_language);

-- Sets how a request's audio is to be transcribed; ingest calls it in the transaction that
-- creates the request. Refused once a scheduler took the request up.
CREATE FUNCTION set_request_transcription(p_id uuid, p_vocabulary text[], p_language text)
RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    changed summary_requests;
BEGIN
    UPDATE summary_requests
    SET vocabulary = coalesce(p_vocabulary, '{}'), language = coalesce(p_language, ''),
        updated_at = now()
    WHERE id = p_id AND status IN ('pending', 'awaiting_confirmation')
    RETURNING * INTO changed;
    IF NOT FOUND THEN
        PERFORM refuse_transition(p_id, 'given a vocabulary',
                                  'pending or awaiting_confirmation');
    END IF;
    RETURN changed;
END;
$$;

DROP FUNCTION find_transcript(uuid);

-- A transcript of this audio, or of an earlier upload of the very same bytes, made with the
-- same vocabulary (in any order) and the same language asked for.
CREATE FUNCTION find_transcript(p_audio_id uuid, p_vocabulary text[], p_language text)
RETURNS TABLE (id uuid, text text, language text, segments jsonb)
LANGUAGE sql STABLE
SET search_path = pg_catalog, public
AS $$
    SELECT t.id, t.text, t.language, t.segments
    FROM transcripts t JOIN audio_assets a ON a.id = t.audio_id
    WHERE (a.id = p_audio_id
           OR a.sha256 = (SELECT sha256 FROM audio_assets WHERE audio_assets.id = p_audio_id))
      AND t.vocabulary = vocabulary_key(p_vocabulary)
      AND t.requested_language = p_language
    ORDER BY (a.id = p_audio_id) DESC, t.created_at
    LIMIT 1;
$$;

-- As in 20261130130200_request_leases.sql, and the new transcript records the request's
-- vocabulary and language; another scheduler's transcript of the same audio, vocabulary and
-- language, stored meanwhile, is kept.
CREATE OR REPLACE FUNCTION record_request_transcript(
    p_id uuid,
    p_lease_token uuid,
    p_source transcript_source,
    p_transcript_id uuid DEFAULT NULL,
    p_transcribed jsonb DEFAULT NULL
) RETURNS summary_requests
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
    request summary_requests;
    kept_transcript_id uuid := p_transcript_id;
    changed summary_requests;
BEGIN
    SELECT * INTO request FROM summary_requests
    WHERE id = p_id AND lease_token = p_lease_token AND status = 'processing'
    FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM refuse_lease(p_id);
    END IF;
    IF p_transcribed IS NOT NULL THEN
        INSERT INTO transcripts (audio_id, text, language, language_probability, duration_s,
                                 segments, model, no_speech, vocabulary, requested_language)
        VALUES (request.audio_id, p_transcribed ->> 'text', p_transcribed ->> 'language',
                (p_transcribed ->> 'language_probability')::double precision,
                (p_transcribed ->> 'duration_s')::double precision,
                p_transcribed -> 'segments', p_transcribed ->> 'model',
                (p_transcribed ->> 'no_speech')::boolean,
                vocabulary_key(request.vocabulary), request.language)
        ON CONFLICT (audio_id, vocabulary, requested_language)
            DO UPDATE SET audio_id = EXCLUDED.audio_id
        RETURNING id INTO kept_transcript_id;
        UPDATE audio_assets SET duration_s = (p_transcribed ->> 'duration_s')::double precision
        WHERE id = request.audio_id AND duration_s IS NULL;
    END IF;
    UPDATE summary_requests
    SET transcript_source = p_source, transcript_id = kept_transcript_id,
        stage = 'summarizing', updated_at = now()
    WHERE id = p_id
    RETURNING * INTO changed;
    RETURN changed;
END;
$$;
