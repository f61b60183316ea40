-- Internal notes: agents' words for each other on an issue's timeline. Only agents read the
-- timeline; the customer's status page lists customer-safe kinds only (caredesk_status) and
-- no email is ever queued for a note. Agents add them through caredesk_add_note: they have
-- no INSERT on the timeline, so the database writes who and when.

ALTER TABLE public.customer_care_event DROP CONSTRAINT customer_care_event_kind_known;
ALTER TABLE public.customer_care_event ADD CONSTRAINT customer_care_event_kind_known CHECK (kind IN
    ('created', 'status_changed', 'priority_changed', 'responded', 'contact_changed', 'deleted',
     'customer_message', 'satisfaction', 'emailed', 'email_failed', 'note'));

-- Adds a note and tells every desktop showing the issue. Returns the event's id.
CREATE FUNCTION public.caredesk_add_note(p_issue_id bigint, p_text text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET lock_timeout = '3s' AS $$
DECLARE
    added bigint;
BEGIN
    -- the response's limit (crates/core/src/domain/text.rs RESPONSE_MAX_CHARS)
    IF p_text IS NULL OR btrim(p_text) = '' OR char_length(p_text) > 10000 THEN
        RAISE EXCEPTION 'a note has 1 to 10000 characters'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'customer_care_note_length';
    END IF;
    -- held until the commit: the issue cannot be deleted under the note
    PERFORM 1 FROM public.customer_care WHERE id = p_issue_id FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'issue % does not exist', p_issue_id USING ERRCODE = 'no_data_found';
    END IF;
    INSERT INTO public.customer_care_event (issue_id, kind, detail)
    VALUES (p_issue_id, 'note', jsonb_build_object('text', p_text))
    RETURNING id INTO added;
    PERFORM pg_notify('caredesk_issue_changed', json_build_object(
        'id', p_issue_id, 'deleted', false, 'by', session_user)::text);
    RETURN added;
END
$$;
ALTER FUNCTION public.caredesk_add_note(bigint, text) OWNER TO caredesk_owner;
REVOKE ALL ON FUNCTION public.caredesk_add_note(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.caredesk_add_note(bigint, text) TO caredesk_agent;

-- Deleting an issue forgets the customer everywhere on its timeline: besides the responses'
-- text (as before), the customer's messages and comments, agents' notes and mail errors
-- (an SMTP reply may name the address) lose their words too.
CREATE FUNCTION public.customer_care_forget_words() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    UPDATE public.customer_care_event SET detail = detail - 'text' - 'comment' - 'error'
     WHERE issue_id = OLD.id AND kind IN ('customer_message', 'satisfaction', 'note', 'email_failed');
    RETURN NULL;
END
$$;
CREATE TRIGGER customer_care_forget_words AFTER DELETE ON public.customer_care
    FOR EACH ROW EXECUTE FUNCTION public.customer_care_forget_words();
ALTER FUNCTION public.customer_care_forget_words() OWNER TO caredesk_owner;
REVOKE ALL ON FUNCTION public.customer_care_forget_words() FROM PUBLIC;
