-- Merging duplicates: an agent merges one issue into another. Nothing is copied, so nothing
-- can be lost: the merged issue keeps its description, responses, customer messages and
-- timeline, is resolved and points to the kept issue, and the kept issue's timeline shows
-- them (each event with its own time and author). The merge itself is an event naming who
-- merged. The merged issue's status link then opens the kept issue, when both are the same
-- customer's (never another customer's issue).

ALTER TABLE public.customer_care ADD COLUMN merged_into bigint
    REFERENCES public.customer_care (id) ON DELETE SET NULL;
ALTER TABLE public.customer_care ADD CONSTRAINT customer_care_merged_stays_resolved
    CHECK (merged_into IS NULL OR (status = 'resolved' AND merged_into <> id));
-- the kept issue's timeline gathers the issues merged into it
CREATE INDEX customer_care_merged_into_idx ON public.customer_care (merged_into) WHERE merged_into IS NOT NULL;

ALTER TABLE public.customer_care_event DROP CONSTRAINT customer_care_event_kind_known;
ALTER TABLE public.customer_care_event ADD CONSTRAINT customer_care_event_kind_known CHECK (kind IN
    ('created', 'status_changed', 'priority_changed', 'responded', 'contact_changed', 'deleted',
     'customer_message', 'satisfaction', 'emailed', 'email_failed', 'note', 'assigned',
     'first_response', 'merged'));

-- The version moves when an issue is merged, like any change the timeline records (the
-- list of compared columns gains merged_into; the rest is as in response_promise).
CREATE OR REPLACE FUNCTION public.customer_care_touch() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF (NEW.status, NEW.priority, NEW.admin_response, NEW.name, NEW.email, NEW.phone,
        NEW.phone_e164, NEW.order_id, NEW.issue_type, NEW.description, NEW.created_at,
        NEW.resolved_at, NEW.owner, NEW.merged_into)
       IS NOT DISTINCT FROM
       (OLD.status, OLD.priority, OLD.admin_response, OLD.name, OLD.email, OLD.phone,
        OLD.phone_e164, OLD.order_id, OLD.issue_type, OLD.description, OLD.created_at,
        OLD.resolved_at, OLD.owner, OLD.merged_into) THEN
        RETURN NULL;
    END IF;
    NEW.updated_at := clock_timestamp();
    IF NEW.status = 'resolved' AND OLD.status IS DISTINCT FROM 'resolved' THEN
        NEW.resolved_at := clock_timestamp();
    ELSIF NEW.status <> 'resolved' THEN
        NEW.resolved_at := NULL;
    END IF;
    NEW.due_at := OLD.due_at;
    NEW.first_response_at := OLD.first_response_at;
    IF OLD.first_response_at IS NULL THEN
        IF NEW.admin_response IS NOT NULL THEN
            NEW.first_response_at := NEW.updated_at;
        ELSIF NEW.priority IS DISTINCT FROM OLD.priority THEN
            NEW.due_at := public.caredesk_due_at(NEW.created_at, NEW.priority);
        END IF;
    END IF;
    RETURN NEW;
END
$$;

-- A merged issue is settled: its status, priority and response change no more (the kept
-- issue's do); pointing it on to another kept issue (a merge of its kept one) is allowed,
-- and so is the owner's undoing of a merge (merged_into back to NULL).
CREATE FUNCTION public.customer_care_merged_is_settled() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF OLD.merged_into IS NOT NULL AND NEW.merged_into IS NOT NULL
       AND (NEW.status, NEW.priority, NEW.admin_response) IS DISTINCT FROM (OLD.status, OLD.priority, OLD.admin_response) THEN
        RAISE EXCEPTION 'issue #% was merged into #%; work on #% instead', OLD.id, OLD.merged_into, OLD.merged_into
            USING ERRCODE = 'check_violation', CONSTRAINT = 'customer_care_merged_is_settled';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER customer_care_merged_is_settled BEFORE UPDATE ON public.customer_care
    FOR EACH ROW EXECUTE FUNCTION public.customer_care_merged_is_settled();

-- Whether two issues are the same customer's: the same email in any case, or the same phone.
CREATE FUNCTION public.caredesk_same_customer(a public.customer_care, b public.customer_care) RETURNS boolean
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT lower(a.email) = lower(b.email) OR a.phone_e164 = b.phone_e164;
$$;

-- Merges p_merged into p_kept. Both rows are locked (in id order, so two merges cannot
-- deadlock) before anything is read: a save of either issue in flight finishes first and
-- is kept; one that comes after sees the new version and is refused as a conflict. Issues
-- merged into p_merged before now point to p_kept, so its timeline stays whole. Refuses a
-- merge of two customers' issues unless p_other_customer says the agent confirmed it.
-- Returns whether they are the same customer's (the merged issue's link then shows the kept).
CREATE FUNCTION public.caredesk_merge_issue(p_merged bigint, p_kept bigint, p_other_customer boolean)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET lock_timeout = '5s' AS $$
DECLARE
    merged public.customer_care;
    kept public.customer_care;
BEGIN
    IF p_merged = p_kept THEN
        RAISE EXCEPTION 'an issue cannot be merged into itself'
            USING ERRCODE = 'invalid_parameter_value', CONSTRAINT = 'customer_care_merge_itself';
    END IF;
    PERFORM 1 FROM public.customer_care WHERE id IN (p_merged, p_kept) ORDER BY id FOR UPDATE;
    SELECT * INTO merged FROM public.customer_care WHERE id = p_merged;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'issue #% does not exist', p_merged USING ERRCODE = 'no_data_found', DETAIL = p_merged::text;
    END IF;
    SELECT * INTO kept FROM public.customer_care WHERE id = p_kept;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'issue #% does not exist', p_kept USING ERRCODE = 'no_data_found', DETAIL = p_kept::text;
    END IF;
    IF merged.merged_into IS NOT NULL THEN
        RAISE EXCEPTION 'issue #% is already merged into #%', p_merged, merged.merged_into
            USING ERRCODE = 'invalid_parameter_value', CONSTRAINT = 'customer_care_merge_already';
    END IF;
    IF kept.merged_into IS NOT NULL THEN
        RAISE EXCEPTION 'issue #% is merged into #%; merge into #% instead', p_kept, kept.merged_into, kept.merged_into
            USING ERRCODE = 'invalid_parameter_value', CONSTRAINT = 'customer_care_merge_into_merged';
    END IF;
    IF NOT p_other_customer AND NOT coalesce(public.caredesk_same_customer(merged, kept), false) THEN
        RAISE EXCEPTION 'issues #% and #% are different customers''', p_merged, p_kept
            USING ERRCODE = 'invalid_parameter_value', CONSTRAINT = 'customer_care_merge_other_customer';
    END IF;

    UPDATE public.customer_care SET merged_into = p_kept WHERE merged_into = p_merged;
    UPDATE public.customer_care SET status = 'resolved', merged_into = p_kept WHERE id = p_merged;
    -- the merge, on the merged issue's timeline (which the kept one's includes), by whoever merged
    INSERT INTO public.customer_care_event (issue_id, at, kind, detail)
    SELECT p_merged, c.updated_at, 'merged', jsonb_build_object('into', p_kept)
      FROM public.customer_care c WHERE c.id = p_merged;
    -- the possible-duplicate mark between them is settled
    DELETE FROM public.customer_care_duplicate
     WHERE (issue_id, of_issue_id) IN ((p_merged, p_kept), (p_kept, p_merged));
    -- the kept issue's timeline grew: open desktops reload it
    PERFORM pg_notify('caredesk_issue_changed', json_build_object(
        'id', p_kept, 'deleted', false, 'by', session_user)::text);
    RETURN coalesce(public.caredesk_same_customer(merged, kept), false);
END
$$;

-- The issue a status link opens: the kept issue once its own was merged into it (the same
-- customer's only: never another customer's issue), valid while the issue shown is not
-- resolved longer than p_days ago.
CREATE OR REPLACE FUNCTION public.caredesk_link_issue(p_token_hash bytea, p_days integer) RETURNS bigint
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN follow.kept THEN k.id ELSE c.id END
      FROM public.customer_care_link l
      JOIN public.customer_care c ON c.id = l.issue_id
      LEFT JOIN public.customer_care k ON k.id = c.merged_into
      CROSS JOIN LATERAL (SELECT k.id IS NOT NULL AND coalesce(public.caredesk_same_customer(c, k), false) AS kept) follow
     WHERE l.token_hash = p_token_hash
       AND (CASE WHEN follow.kept THEN k.resolved_at ELSE c.resolved_at END IS NULL
            OR CASE WHEN follow.kept THEN k.resolved_at ELSE c.resolved_at END > now() - make_interval(days => p_days));
$$;

-- The customer writes again from the status page. As before (customer_side), but a merged
-- issue (another customer's merge, whose link still shows it) stays resolved: the message
-- is on its timeline, which the kept issue's includes, and the kept issue opens again.
CREATE OR REPLACE FUNCTION public.caredesk_customer_message(p_token_hash bytea, p_days integer, p_text text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET lock_timeout = '3s'
    SET statement_timeout = '10s' AS $$
DECLARE
    issue bigint := public.caredesk_link_issue(p_token_hash, p_days);
    working bigint;
BEGIN
    IF issue IS NULL THEN
        RETURN NULL;
    END IF;
    IF btrim(p_text) = '' OR char_length(p_text) > 5000 THEN
        RAISE EXCEPTION 'a message has 1 to 5000 characters'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'customer_care_message_length';
    END IF;
    SELECT coalesce(c.merged_into, c.id) INTO working FROM public.customer_care c WHERE c.id = issue;
    INSERT INTO public.customer_care_event (issue_id, actor, kind, detail)
    VALUES (issue, 'customer', 'customer_message', jsonb_build_object('text', p_text));
    UPDATE public.customer_care SET status = 'open' WHERE id = working AND status = 'resolved';
    IF FOUND THEN
        -- the customer reopened it, not the public service's login
        UPDATE public.customer_care_event SET actor = 'customer'
         WHERE id = (SELECT max(id) FROM public.customer_care_event
                      WHERE issue_id = working AND kind = 'status_changed');
    END IF;
    PERFORM pg_notify('caredesk_customer_message', jsonb_build_object('id', working)::text);
    RETURN issue;
END
$$;

ALTER FUNCTION public.customer_care_merged_is_settled() OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_same_customer(public.customer_care, public.customer_care) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_merge_issue(bigint, bigint, boolean) OWNER TO caredesk_owner;
REVOKE ALL ON FUNCTION public.caredesk_merge_issue(bigint, bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.caredesk_merge_issue(bigint, bigint, boolean) TO caredesk_agent;
