-- Who handles an issue: an agent's login, or nobody. Taking an issue makes the agent its
-- owner; any agent may hand an issue to another or give it back. The database checks that
-- an owner is a CareDesk agent login and puts every change of owner on the timeline,
-- naming who assigned whom.

ALTER TABLE public.customer_care ADD COLUMN owner text;

-- The owner filter (an agent's issues, or nobody's), newest first; the Mine view and its
-- count (the agent's issues that are not resolved) from a partial index of their own.
CREATE INDEX customer_care_owner_newest_idx ON public.customer_care (owner, created_at DESC, id DESC);
CREATE INDEX customer_care_owner_unresolved_newest_idx
    ON public.customer_care (owner, created_at DESC, id DESC) WHERE status <> 'resolved';

ALTER TABLE public.customer_care_event DROP CONSTRAINT customer_care_event_kind_known;
ALTER TABLE public.customer_care_event ADD CONSTRAINT customer_care_event_kind_known CHECK (kind IN
    ('created', 'status_changed', 'priority_changed', 'responded', 'contact_changed', 'deleted',
     'customer_message', 'satisfaction', 'emailed', 'email_failed', 'note', 'assigned'));

-- A CareDesk agent login: may sign in, is an agent (or admin), and is no superuser (a
-- superuser is a member of every role, but no agent).
CREATE FUNCTION public.caredesk_is_agent(p_login text) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM pg_catalog.pg_roles r
         WHERE r.rolname = p_login AND r.rolcanlogin AND NOT r.rolsuper
           AND pg_catalog.pg_has_role(r.oid, 'caredesk_agent', 'MEMBER'));
$$;

CREATE FUNCTION public.customer_care_check_owner() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.owner IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.owner IS DISTINCT FROM OLD.owner)
       AND NOT public.caredesk_is_agent(NEW.owner) THEN
        RAISE EXCEPTION '% is not a CareDesk agent', NEW.owner
            USING ERRCODE = 'check_violation', CONSTRAINT = 'customer_care_owner_is_agent';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER customer_care_check_owner BEFORE INSERT OR UPDATE OF owner ON public.customer_care
    FOR EACH ROW EXECUTE FUNCTION public.customer_care_check_owner();

-- The version moves when the owner changes, like any change the timeline records.
CREATE OR REPLACE FUNCTION public.customer_care_touch() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- nothing the timeline would record changed: keep the row (and its version) as it is
    -- (every column but the version itself and the generated phone digits)
    IF (NEW.status, NEW.priority, NEW.admin_response, NEW.name, NEW.email, NEW.phone,
        NEW.phone_e164, NEW.order_id, NEW.issue_type, NEW.description, NEW.created_at,
        NEW.resolved_at, NEW.owner)
       IS NOT DISTINCT FROM
       (OLD.status, OLD.priority, OLD.admin_response, OLD.name, OLD.email, OLD.phone,
        OLD.phone_e164, OLD.order_id, OLD.issue_type, OLD.description, OLD.created_at,
        OLD.resolved_at, OLD.owner) THEN
        RETURN NULL;
    END IF;
    NEW.updated_at := clock_timestamp();
    IF NEW.status = 'resolved' AND OLD.status IS DISTINCT FROM 'resolved' THEN
        NEW.resolved_at := clock_timestamp();
    ELSIF NEW.status <> 'resolved' THEN
        NEW.resolved_at := NULL;
    END IF;
    RETURN NEW;
END
$$;

-- "amina assigned the issue to jonas": the event carries the new version, as the others do.
CREATE FUNCTION public.customer_care_record_owner() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.owner IS DISTINCT FROM OLD.owner THEN
        INSERT INTO public.customer_care_event (issue_id, at, kind, detail)
        VALUES (NEW.id, NEW.updated_at, 'assigned', jsonb_build_object('from', OLD.owner, 'to', NEW.owner));
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER customer_care_record_owner AFTER UPDATE OF owner ON public.customer_care
    FOR EACH ROW EXECUTE FUNCTION public.customer_care_record_owner();

ALTER FUNCTION public.caredesk_is_agent(text) OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_check_owner() OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_record_owner() OWNER TO caredesk_owner;
REVOKE ALL ON FUNCTION public.customer_care_record_owner() FROM PUBLIC;

-- Agents take, hand over and give back issues.
GRANT UPDATE (owner) ON public.customer_care TO caredesk_agent;
