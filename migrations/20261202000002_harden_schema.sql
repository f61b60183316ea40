-- The schema holds whatever PostgreSQL it runs on (14 lets everyone create in `public`,
-- and so does a cluster upgraded from it) and whoever applies it:
--   * nobody but the owner creates objects in `public`;
--   * a NOLOGIN role, caredesk_owner, owns the tables and every function (never a
--     superuser), and every function runs with search_path pinned to pg_catalog, naming
--     CareDesk's tables schema-qualified: an operator or function planted in `public` can
--     never run as the owner;
--   * only CareDesk's roles may connect to the database or create temporary objects;
--   * agents may change only what the app changes (status, priority, response), every such
--     change is on the timeline, and an update that changes nothing moves nothing;
--   * no login can stall the others: the report function waits at most a few seconds for a
--     lock, and each CareDesk login has its own time limits and connection limit.

REVOKE CREATE ON SCHEMA public FROM PUBLIC;

DO $owner$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'caredesk_owner') THEN
        BEGIN
            CREATE ROLE caredesk_owner NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database's migration created it first
        END;
    END IF;
    -- whoever migrates must be able to hand objects to the owner (a superuser always can)
    IF NOT pg_has_role(current_user, 'caredesk_owner', 'USAGE') THEN
        EXECUTE format('GRANT caredesk_owner TO %I', current_user);
    END IF;
END
$owner$;
GRANT CREATE, USAGE ON SCHEMA public TO caredesk_owner;

-- Only CareDesk's roles connect; nobody needs temporary tables. (Database-level rules are
-- not part of a dump: `caredesk-server restore` calls this again on the restored database.)
CREATE FUNCTION public.caredesk_secure_database() RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO caredesk_intake, caredesk_agent, caredesk_owner',
                   current_database());
END
$$;
REVOKE ALL ON FUNCTION public.caredesk_secure_database() FROM PUBLIC;
SELECT public.caredesk_secure_database();

-- The functions again, with a pinned search_path and qualified names. -------------------

CREATE OR REPLACE FUNCTION public.customer_care_touch() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- nothing the timeline would record changed: keep the row (and its version) as it is
    -- (every column but the version itself and the generated phone digits)
    IF (NEW.status, NEW.priority, NEW.admin_response, NEW.name, NEW.email, NEW.phone,
        NEW.phone_e164, NEW.order_id, NEW.issue_type, NEW.description, NEW.created_at,
        NEW.resolved_at)
       IS NOT DISTINCT FROM
       (OLD.status, OLD.priority, OLD.admin_response, OLD.name, OLD.email, OLD.phone,
        OLD.phone_e164, OLD.order_id, OLD.issue_type, OLD.description, OLD.created_at,
        OLD.resolved_at) THEN
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

ALTER FUNCTION public.customer_care_stamp_resolved() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION public.customer_care_guard_delete() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION public.customer_care_notify() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION public.customer_care_notify_change() SET search_path = pg_catalog, pg_temp;

CREATE OR REPLACE FUNCTION public.customer_care_record_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    changed text[] := ARRAY[]::text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public.customer_care_event (issue_id, at, kind, detail)
        VALUES (NEW.id, NEW.created_at, 'created', jsonb_build_object(
            'issue_type', NEW.issue_type, 'priority', NEW.priority, 'status', NEW.status));
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        -- an update's events carry the row's new updated_at (its version), so "what changed
        -- since the version I saw" is exactly the events after it
        IF NEW.status IS DISTINCT FROM OLD.status THEN
            INSERT INTO public.customer_care_event (issue_id, at, kind, detail)
            VALUES (NEW.id, NEW.updated_at, 'status_changed', jsonb_build_object('from', OLD.status, 'to', NEW.status));
        END IF;
        IF NEW.priority IS DISTINCT FROM OLD.priority THEN
            INSERT INTO public.customer_care_event (issue_id, at, kind, detail)
            VALUES (NEW.id, NEW.updated_at, 'priority_changed', jsonb_build_object('from', OLD.priority, 'to', NEW.priority));
        END IF;
        IF NEW.admin_response IS DISTINCT FROM OLD.admin_response THEN
            INSERT INTO public.customer_care_event (issue_id, at, kind, detail)
            VALUES (NEW.id, NEW.updated_at, 'responded', jsonb_build_object('response', NEW.admin_response));
        END IF;
        IF NEW.name IS DISTINCT FROM OLD.name THEN changed := changed || 'name'::text; END IF;
        IF NEW.email IS DISTINCT FROM OLD.email THEN changed := changed || 'email'::text; END IF;
        -- the E.164 form is what Call and WhatsApp dial: a change to it is a phone change
        IF NEW.phone IS DISTINCT FROM OLD.phone OR NEW.phone_e164 IS DISTINCT FROM OLD.phone_e164 THEN
            changed := changed || 'phone'::text;
        END IF;
        IF NEW.order_id IS DISTINCT FROM OLD.order_id THEN changed := changed || 'order_id'::text; END IF;
        IF cardinality(changed) > 0 THEN
            -- names of the fields only: the values are personal data
            INSERT INTO public.customer_care_event (issue_id, at, kind, detail)
            VALUES (NEW.id, NEW.updated_at, 'contact_changed', jsonb_build_object('fields', to_jsonb(changed)));
        END IF;
        RETURN NEW;
    ELSE
        -- Deleting forgets the customer: responses may quote them, so earlier events lose
        -- their text, and the deletion event keeps only what is not personal.
        UPDATE public.customer_care_event SET detail = detail - 'response'
         WHERE issue_id = OLD.id AND kind = 'responded';
        INSERT INTO public.customer_care_event (issue_id, kind, detail)
        VALUES (OLD.id, 'deleted', jsonb_build_object(
            'issue_type', OLD.issue_type, 'priority', OLD.priority, 'status', OLD.status,
            'created_at', OLD.created_at));
        RETURN OLD;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION public.customer_care_keep_count() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE public.customer_care_count SET issues = issues - 1
         WHERE slot = OLD.id % 16 AND status = OLD.status AND priority = OLD.priority;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO public.customer_care_count AS c (slot, status, priority, issues)
        VALUES (NEW.id % 16, NEW.status, NEW.priority, 1)
        ON CONFLICT (slot, status, priority) DO UPDATE SET issues = c.issues + 1;
    END IF;
    RETURN NULL;
END
$$;

-- A report waits at most a few seconds for a lock (an agent's forgotten transaction may
-- hold a counter row); the public service then answers 503 instead of hanging.
CREATE OR REPLACE FUNCTION public.caredesk_report_issue(
    p_name text, p_email text, p_phone text, p_phone_e164 text, p_order_id text,
    p_issue_type text, p_description text, p_priority text
) RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET lock_timeout = '3s'
    SET statement_timeout = '10s' AS $$
    INSERT INTO public.customer_care (name, email, phone, phone_e164, order_id, issue_type, description, priority)
    VALUES (p_name, p_email, p_phone, p_phone_e164, p_order_id, p_issue_type, p_description, p_priority)
    RETURNING id;
$$;

-- Agent logins: created with their time and connection limits (see caredesk_limit_login).
CREATE OR REPLACE FUNCTION public.caredesk_limit_login(p_login text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- a statement longer than this is a mistake; a lock waited for longer is someone
    -- else's forgotten transaction; a transaction left idle is a forgotten one
    EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', p_login, '30s');
    EXECUTE format('ALTER ROLE %I SET lock_timeout = %L', p_login, '5s');
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', p_login, '30s');
    -- a desktop needs two (its listener and one pooled), more only while busy; room for
    -- a second desktop and a restart
    EXECUTE format('ALTER ROLE %I CONNECTION LIMIT 10', p_login);
END
$$;
REVOKE ALL ON FUNCTION public.caredesk_limit_login(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION public.caredesk_create_agent(p_login text, p_scram_verifier text, p_admin boolean)
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_scram_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
        RAISE EXCEPTION 'the password must arrive as a SCRAM-SHA-256 verifier'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I',
                   p_login, p_scram_verifier,
                   CASE WHEN p_admin THEN 'caredesk_admin' ELSE 'caredesk_agent' END);
    PERFORM public.caredesk_limit_login(p_login);
END
$$;

-- the logins that exist already get the same limits
DO $limits$
DECLARE
    login text;
BEGIN
    FOR login IN
        SELECT r.rolname FROM pg_roles r
         WHERE r.rolcanlogin AND NOT r.rolsuper
           AND (pg_has_role(r.oid, 'caredesk_agent', 'MEMBER') OR pg_has_role(r.oid, 'caredesk_intake', 'MEMBER'))
    LOOP
        BEGIN
            PERFORM public.caredesk_limit_login(login);
        EXCEPTION WHEN internal_error THEN
            NULL; -- "tuple concurrently updated": another database's migration set them
        END;
    END LOOP;
END
$limits$;

-- Agents change what the app changes, nothing else.
REVOKE UPDATE ON public.customer_care FROM caredesk_agent;
GRANT UPDATE (status, priority, admin_response) ON public.customer_care TO caredesk_agent;

-- The owner owns it all. -------------------------------------------------------------------
ALTER TABLE public.customer_care OWNER TO caredesk_owner;
ALTER TABLE public.customer_care_event OWNER TO caredesk_owner;
ALTER TABLE public.customer_care_count OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_touch() OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_stamp_resolved() OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_guard_delete() OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_record_event() OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_keep_count() OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_notify() OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_notify_change() OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_report_issue(text, text, text, text, text, text, text, text) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_recount_issues() OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_limit_login(text) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_create_agent(text, text, boolean) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_secure_database() OWNER TO caredesk_owner;
