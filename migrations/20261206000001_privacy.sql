-- Privacy requests: everything CareDesk holds about one customer (by email in any case, or
-- by phone in its E.164 form), exported as one JSON document, and erased. Admins only, each
-- request audited (who, when, how many issues: never the customer's address). Erasing
-- deletes the customer's issues in one transaction: the deletion triggers already forget
-- every text on their timelines and take the outbox, links, satisfaction answers and
-- duplicate marks with them, and the counters follow; each issue's deletion event becomes
-- the anonymous trace `erased` (type, priority, status and report time only).

CREATE TABLE public.caredesk_privacy_audit (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor    text NOT NULL DEFAULT session_user,
    action   text NOT NULL CONSTRAINT caredesk_privacy_audit_action_known CHECK (action IN ('export', 'erase')),
    -- what the request was matched by, never its value
    matched_by text NOT NULL CONSTRAINT caredesk_privacy_audit_matched_known CHECK (matched_by IN ('email', 'phone')),
    issues   integer NOT NULL
);

ALTER TABLE public.customer_care_event DROP CONSTRAINT customer_care_event_kind_known;
ALTER TABLE public.customer_care_event ADD CONSTRAINT customer_care_event_kind_known CHECK (kind IN
    ('created', 'status_changed', 'priority_changed', 'responded', 'contact_changed', 'deleted',
     'customer_message', 'satisfaction', 'emailed', 'email_failed', 'note', 'assigned',
     'first_response', 'merged', 'erased'));

-- The customer's issues: one of the two keys is given.
CREATE FUNCTION public.caredesk_customer_issues(p_email text, p_phone_e164 text) RETURNS SETOF bigint
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT c.id FROM public.customer_care c
     WHERE (p_email IS NOT NULL AND lower(c.email) = lower(p_email))
        OR (p_phone_e164 IS NOT NULL AND c.phone_e164 = p_phone_e164)
     ORDER BY c.id;
$$;

CREATE FUNCTION public.caredesk_check_customer_key(p_email text, p_phone_e164 text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF (p_email IS NULL) = (p_phone_e164 IS NULL) THEN
        RAISE EXCEPTION 'give the customer''s email or their phone, one of them'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN CASE WHEN p_email IS NOT NULL THEN 'email' ELSE 'phone' END;
END
$$;

-- Everything about the customer: each issue as stored, its whole timeline (internal notes
-- too: they are about the customer), the emails sent to them (without status link tokens)
-- and their satisfaction answers. Audited.
CREATE FUNCTION public.caredesk_customer_export(p_email text, p_phone_e164 text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    matched_by text := public.caredesk_check_customer_key(p_email, p_phone_e164);
    ids bigint[] := ARRAY(SELECT public.caredesk_customer_issues(p_email, p_phone_e164));
BEGIN
    INSERT INTO public.caredesk_privacy_audit (action, matched_by, issues)
    VALUES ('export', matched_by, cardinality(ids));
    RETURN jsonb_build_object(
        'exported_at', clock_timestamp(),
        'matched_by', matched_by,
        'issues', coalesce((
            SELECT jsonb_agg(to_jsonb(c) - 'phone_digits' || jsonb_build_object(
                       'timeline', coalesce((
                           SELECT jsonb_agg(jsonb_build_object('at', e.at, 'actor', e.actor, 'kind', e.kind, 'detail', e.detail)
                                            ORDER BY e.at, e.id)
                             FROM public.customer_care_event e WHERE e.issue_id = c.id), '[]'::jsonb),
                       'emails', coalesce((
                           SELECT jsonb_agg(to_jsonb(o) - 'link_token' ORDER BY o.id)
                             FROM public.customer_care_outbox o WHERE o.issue_id = c.id), '[]'::jsonb),
                       'satisfaction', (
                           SELECT to_jsonb(s) FROM public.customer_care_satisfaction s WHERE s.issue_id = c.id))
                   ORDER BY c.id)
              FROM public.customer_care c WHERE c.id = ANY(ids)), '[]'::jsonb));
END
$$;

-- Erases the customer's issues (whatever their status) and returns how many. Audited.
CREATE FUNCTION public.caredesk_customer_erase(p_email text, p_phone_e164 text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    SET lock_timeout = '5s' AS $$
DECLARE
    matched_by text := public.caredesk_check_customer_key(p_email, p_phone_e164);
    ids bigint[];
BEGIN
    -- locked first: a save in flight finishes before, and nothing is changed after
    ids := ARRAY(SELECT c.id FROM public.customer_care c
                  WHERE c.id IN (SELECT public.caredesk_customer_issues(p_email, p_phone_e164))
                  ORDER BY c.id FOR UPDATE);
    -- only resolved issues may be deleted: the others are resolved first (a merged issue is)
    UPDATE public.customer_care SET status = 'resolved' WHERE id = ANY(ids) AND status <> 'resolved';
    DELETE FROM public.customer_care WHERE id = ANY(ids);
    UPDATE public.customer_care_event SET kind = 'erased'
     WHERE issue_id = ANY(ids) AND kind = 'deleted';
    -- what may still name them: the words of the status changes just made are none, but
    -- the mail errors and notes were forgotten by the deletion; nothing else keeps text
    INSERT INTO public.caredesk_privacy_audit (action, matched_by, issues)
    VALUES ('erase', matched_by, cardinality(ids));
    RETURN cardinality(ids);
END
$$;

ALTER TABLE public.caredesk_privacy_audit OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_customer_issues(text, text) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_check_customer_key(text, text) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_customer_export(text, text) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_customer_erase(text, text) OWNER TO caredesk_owner;
REVOKE ALL ON FUNCTION public.caredesk_customer_issues(text, text), public.caredesk_check_customer_key(text, text),
    public.caredesk_customer_export(text, text), public.caredesk_customer_erase(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.caredesk_customer_export(text, text), public.caredesk_customer_erase(text, text)
    TO caredesk_admin;
GRANT SELECT ON public.caredesk_privacy_audit TO caredesk_admin;
