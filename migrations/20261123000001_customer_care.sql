-- CareDesk schema: the customer_care table of the seed, its timeline, search indexes,
-- the NOTIFY on insert, and the three roles with least-privilege grants.
--
-- Roles are cluster-wide while this migration may run in many databases of one cluster at
-- once (tests create a database each): every role statement tolerates a concurrent twin.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Roles ----------------------------------------------------------------------------------
DO $roles$
DECLARE
    wanted text;
BEGIN
    FOREACH wanted IN ARRAY ARRAY['caredesk_intake', 'caredesk_agent', 'caredesk_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = wanted) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', wanted);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- another database's migration created it first
            END;
        END IF;
    END LOOP;
    IF NOT pg_has_role('caredesk_admin', 'caredesk_agent', 'MEMBER') THEN
        BEGIN
            GRANT caredesk_agent TO caredesk_admin;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$roles$;

-- The issues -----------------------------------------------------------------------------
CREATE TABLE customer_care (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            varchar(255) NOT NULL CONSTRAINT customer_care_name_present CHECK (btrim(name) <> ''),
    email           varchar(255) NOT NULL CONSTRAINT customer_care_email_shape CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    -- the phone exactly as the customer typed it, and its E.164 form for links
    phone           varchar(20)  NOT NULL CONSTRAINT customer_care_phone_present CHECK (btrim(phone) <> ''),
    phone_e164      varchar(16)  NOT NULL CONSTRAINT customer_care_phone_e164_shape CHECK (phone_e164 ~ '^\+[1-9][0-9]{1,14}$'),
    -- digits of both forms, so "+49 151 2345" and "0151-2345" find the same customer
    phone_digits    text GENERATED ALWAYS AS (
                        regexp_replace(phone, '[^0-9]', '', 'g') || ' ' || substr(phone_e164, 2)
                    ) STORED,
    order_id        varchar(100) CONSTRAINT customer_care_order_id_present CHECK (order_id IS NULL OR btrim(order_id) <> ''),
    issue_type      varchar(100) NOT NULL CONSTRAINT customer_care_issue_type_known CHECK (issue_type IN
                        ('not_received', 'quality', 'wrong_item', 'damaged', 'payment', 'refund', 'app', 'other')),
    description     text NOT NULL CONSTRAINT customer_care_description_length CHECK (
                        btrim(description) <> '' AND char_length(description) <= 5000),
    priority        varchar(20) NOT NULL DEFAULT 'normal' CONSTRAINT customer_care_priority_known CHECK (
                        priority IN ('normal', 'high', 'urgent')),
    status          varchar(50) NOT NULL DEFAULT 'open' CONSTRAINT customer_care_status_known CHECK (
                        status IN ('open', 'in-progress', 'resolved')),
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    admin_response  text CONSTRAINT customer_care_admin_response_length CHECK (
                        admin_response IS NULL OR char_length(admin_response) <= 10000),
    resolved_at     timestamptz,
    CONSTRAINT customer_care_resolved_at_matches_status CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);

-- The dashboard lists newest first, optionally by status and/or priority, paged by keyset.
CREATE INDEX customer_care_newest_idx ON customer_care (created_at DESC, id DESC);
CREATE INDEX customer_care_status_newest_idx ON customer_care (status, created_at DESC, id DESC);
CREATE INDEX customer_care_priority_newest_idx ON customer_care (priority, created_at DESC, id DESC);
CREATE INDEX customer_care_status_priority_newest_idx ON customer_care (status, priority, created_at DESC, id DESC);
-- Substring search by name, email and phone digits.
CREATE INDEX customer_care_name_trgm_idx ON customer_care USING gin (name gin_trgm_ops);
CREATE INDEX customer_care_email_trgm_idx ON customer_care USING gin (email gin_trgm_ops);
CREATE INDEX customer_care_phone_digits_trgm_idx ON customer_care USING gin (phone_digits gin_trgm_ops);

-- The timeline ---------------------------------------------------------------------------
-- No foreign key: a deleted issue keeps its history (without personal data).
CREATE TABLE customer_care_event (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issue_id    bigint NOT NULL,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor       text NOT NULL DEFAULT session_user,
    kind        text NOT NULL CONSTRAINT customer_care_event_kind_known CHECK (kind IN
                    ('created', 'status_changed', 'priority_changed', 'responded', 'contact_changed', 'deleted')),
    detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX customer_care_event_issue_idx ON customer_care_event (issue_id, at, id);

-- Triggers: updated_at, resolved_at, events, NOTIFY -------------------------------------
CREATE FUNCTION customer_care_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := clock_timestamp();
    IF NEW.status = 'resolved' AND OLD.status IS DISTINCT FROM 'resolved' THEN
        NEW.resolved_at := clock_timestamp();
    ELSIF NEW.status <> 'resolved' THEN
        NEW.resolved_at := NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER customer_care_touch BEFORE UPDATE ON customer_care
    FOR EACH ROW EXECUTE FUNCTION customer_care_touch();

-- A resolved_at for an issue created as resolved (imports, seeding).
CREATE FUNCTION customer_care_stamp_resolved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'resolved' AND NEW.resolved_at IS NULL THEN
        NEW.resolved_at := NEW.created_at;
    ELSIF NEW.status <> 'resolved' THEN
        NEW.resolved_at := NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER customer_care_stamp_resolved BEFORE INSERT ON customer_care
    FOR EACH ROW EXECUTE FUNCTION customer_care_stamp_resolved();

-- Only resolved issues may be deleted, whoever asks.
CREATE FUNCTION customer_care_guard_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'resolved' THEN
        RAISE EXCEPTION 'issue % is %, only resolved issues may be deleted', OLD.id, OLD.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'customer_care_delete_only_resolved';
    END IF;
    RETURN OLD;
END
$$;
CREATE TRIGGER customer_care_guard_delete BEFORE DELETE ON customer_care
    FOR EACH ROW EXECUTE FUNCTION customer_care_guard_delete();

-- Events are written by the database itself, in the changing transaction, as the table
-- owner (agents have no INSERT on the timeline, so they cannot forge or skip events).
CREATE FUNCTION customer_care_record_event() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    changed text[] := ARRAY[]::text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO customer_care_event (issue_id, at, kind, detail)
        VALUES (NEW.id, NEW.created_at, 'created', jsonb_build_object(
            'issue_type', NEW.issue_type, 'priority', NEW.priority, 'status', NEW.status));
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        -- an update's events carry the row's new updated_at (its version), so "what changed
        -- since the version I saw" is exactly the events after it
        IF NEW.status IS DISTINCT FROM OLD.status THEN
            INSERT INTO customer_care_event (issue_id, at, kind, detail)
            VALUES (NEW.id, NEW.updated_at, 'status_changed', jsonb_build_object('from', OLD.status, 'to', NEW.status));
        END IF;
        IF NEW.priority IS DISTINCT FROM OLD.priority THEN
            INSERT INTO customer_care_event (issue_id, at, kind, detail)
            VALUES (NEW.id, NEW.updated_at, 'priority_changed', jsonb_build_object('from', OLD.priority, 'to', NEW.priority));
        END IF;
        IF NEW.admin_response IS DISTINCT FROM OLD.admin_response THEN
            INSERT INTO customer_care_event (issue_id, at, kind, detail)
            VALUES (NEW.id, NEW.updated_at, 'responded', jsonb_build_object('response', NEW.admin_response));
        END IF;
        IF NEW.name IS DISTINCT FROM OLD.name THEN changed := changed || 'name'::text; END IF;
        IF NEW.email IS DISTINCT FROM OLD.email THEN changed := changed || 'email'::text; END IF;
        IF NEW.phone IS DISTINCT FROM OLD.phone THEN changed := changed || 'phone'::text; END IF;
        IF NEW.order_id IS DISTINCT FROM OLD.order_id THEN changed := changed || 'order_id'::text; END IF;
        IF cardinality(changed) > 0 THEN
            -- names of the fields only: the values are personal data
            INSERT INTO customer_care_event (issue_id, at, kind, detail)
            VALUES (NEW.id, NEW.updated_at, 'contact_changed', jsonb_build_object('fields', to_jsonb(changed)));
        END IF;
        RETURN NEW;
    ELSE
        -- Deleting forgets the customer: responses may quote them, so earlier events lose
        -- their text, and the deletion event keeps only what is not personal.
        UPDATE customer_care_event SET detail = detail - 'response'
         WHERE issue_id = OLD.id AND kind = 'responded';
        INSERT INTO customer_care_event (issue_id, kind, detail)
        VALUES (OLD.id, 'deleted', jsonb_build_object(
            'issue_type', OLD.issue_type, 'priority', OLD.priority, 'status', OLD.status,
            'created_at', OLD.created_at));
        RETURN OLD;
    END IF;
END
$$;
CREATE TRIGGER customer_care_record_event AFTER INSERT OR UPDATE OR DELETE ON customer_care
    FOR EACH ROW EXECUTE FUNCTION customer_care_record_event();

CREATE FUNCTION customer_care_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('caredesk_issue', json_build_object(
        'id', NEW.id, 'priority', NEW.priority, 'issue_type', NEW.issue_type)::text);
    RETURN NEW;
END
$$;
CREATE TRIGGER customer_care_notify AFTER INSERT ON customer_care
    FOR EACH ROW EXECUTE FUNCTION customer_care_notify();

-- Intake: the only way in for the public server ------------------------------------------
-- SECURITY DEFINER so that caredesk_intake needs no privilege on the table at all: it can
-- add an issue and learn its id, and read nothing.
CREATE FUNCTION caredesk_report_issue(
    p_name text, p_email text, p_phone text, p_phone_e164 text, p_order_id text,
    p_issue_type text, p_description text, p_priority text
) RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    INSERT INTO customer_care (name, email, phone, phone_e164, order_id, issue_type, description, priority)
    VALUES (p_name, p_email, p_phone, p_phone_e164, p_order_id, p_issue_type, p_description, p_priority)
    RETURNING id;
$$;

-- Grants ---------------------------------------------------------------------------------
REVOKE ALL ON customer_care, customer_care_event FROM PUBLIC;
REVOKE ALL ON FUNCTION caredesk_report_issue(text, text, text, text, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION customer_care_record_event() FROM PUBLIC;

GRANT EXECUTE ON FUNCTION caredesk_report_issue(text, text, text, text, text, text, text, text) TO caredesk_intake;

GRANT SELECT ON customer_care, customer_care_event TO caredesk_agent;
GRANT UPDATE (status, priority, admin_response, name, email, phone, phone_e164, order_id)
    ON customer_care TO caredesk_agent;

GRANT DELETE ON customer_care TO caredesk_admin;

-- Agents ---------------------------------------------------------------------------------
-- Creates an agent's own PostgreSQL login. The caller needs CREATEROLE (the owner who runs
-- `caredesk-server agent add`); the password arrives as a SCRAM verifier, never in clear.
CREATE FUNCTION caredesk_create_agent(p_login text, p_scram_verifier text, p_admin boolean)
RETURNS void LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF p_scram_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
        RAISE EXCEPTION 'the password must arrive as a SCRAM-SHA-256 verifier'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I',
                   p_login, p_scram_verifier,
                   CASE WHEN p_admin THEN 'caredesk_admin' ELSE 'caredesk_agent' END);
END
$$;
REVOKE ALL ON FUNCTION caredesk_create_agent(text, text, boolean) FROM PUBLIC;
