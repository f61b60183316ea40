-- The customer's side of the conversation: status links (only their SHA-256 is stored), the
-- customer's messages and satisfaction on the timeline, the report's language, and an
-- outbox of emails written in the same transaction as what they announce, delivered by a
-- mailer login that may read and update the outbox and nothing else.

DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'caredesk_mailer') THEN
        BEGIN
            CREATE ROLE caredesk_mailer NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database's migration created it first
        END;
    END IF;
END
$roles$;

CREATE OR REPLACE FUNCTION public.caredesk_secure_database() RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO caredesk_intake, caredesk_agent, caredesk_mailer, caredesk_owner',
                   current_database());
END
$$;
SELECT public.caredesk_secure_database();

-- The language the customer wrote in: later emails and the status page use it.
ALTER TABLE public.customer_care
    ADD COLUMN language varchar(8) NOT NULL DEFAULT 'en'
        CONSTRAINT customer_care_language_known CHECK (language IN ('en', 'de'));

-- Status links: each the SHA-256 of a token of 256 random bits. An issue has one from its
-- confirmation and one more in each later email, all equally good.
CREATE TABLE public.customer_care_link (
    token_hash  bytea PRIMARY KEY CONSTRAINT customer_care_link_hash_size CHECK (length(token_hash) = 32),
    issue_id    bigint NOT NULL REFERENCES public.customer_care (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX customer_care_link_issue_idx ON public.customer_care_link (issue_id);

-- "Did this solve your problem?", answered once per issue.
CREATE TABLE public.customer_care_satisfaction (
    issue_id    bigint PRIMARY KEY REFERENCES public.customer_care (id) ON DELETE CASCADE,
    solved      boolean NOT NULL,
    comment     text CONSTRAINT customer_care_satisfaction_comment_length CHECK (char_length(comment) <= 5000),
    answered_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX customer_care_satisfaction_answered_idx ON public.customer_care_satisfaction (answered_at);

ALTER TABLE public.customer_care_event DROP CONSTRAINT customer_care_event_kind_known;
ALTER TABLE public.customer_care_event ADD CONSTRAINT customer_care_event_kind_known CHECK (kind IN
    ('created', 'status_changed', 'priority_changed', 'responded', 'contact_changed', 'deleted',
     'customer_message', 'satisfaction', 'emailed', 'email_failed'));

-- Emails to send. A row is written in the transaction of what it announces; the mailer
-- takes due rows with FOR UPDATE SKIP LOCKED (so several servers send each once), and
-- records the outcome, which a trigger puts on the timeline. The status link's token
-- stays here only until the email is sent.
CREATE TABLE public.customer_care_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issue_id        bigint NOT NULL REFERENCES public.customer_care (id) ON DELETE CASCADE,
    kind            text NOT NULL CONSTRAINT customer_care_outbox_kind_known CHECK (kind IN ('confirmation', 'response', 'resolved')),
    recipient       varchar(255) NOT NULL,
    customer_name   varchar(255) NOT NULL,
    language        varchar(8) NOT NULL,
    issue_type      varchar(100) NOT NULL,
    link_token      text,
    response        text,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    sent_at         timestamptz,
    failed_at       timestamptz,
    last_error      text
);
CREATE INDEX customer_care_outbox_due_idx ON public.customer_care_outbox (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;

-- Whether a mailer is delivering: each mailer notes itself here as it polls, so the desktop
-- can say honestly whether a response will be emailed.
CREATE TABLE public.caredesk_mailer_seen (
    mailer      text PRIMARY KEY,
    seen_at     timestamptz NOT NULL
);

-- A fresh status link for an issue: the token goes to the caller, its hash to the table.
CREATE FUNCTION public.caredesk_new_link(p_issue_id bigint) RETURNS text
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    token text := encode(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()), 'hex');
BEGIN
    INSERT INTO public.customer_care_link (token_hash, issue_id)
    VALUES (sha256(convert_to(token, 'UTF8')), p_issue_id);
    RETURN token;
END
$$;

-- An email to the customer of an issue, with a fresh status link.
CREATE FUNCTION public.caredesk_queue_email(p_issue_id bigint, p_kind text, p_response text)
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO public.customer_care_outbox
        (issue_id, kind, recipient, customer_name, language, issue_type, link_token, response)
    SELECT id, p_kind, email, name, language, issue_type, public.caredesk_new_link(id), p_response
      FROM public.customer_care WHERE id = p_issue_id;
END
$$;

-- A mailer notes that it is delivering (its login, now).
CREATE FUNCTION public.caredesk_mailer_alive() RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    INSERT INTO public.caredesk_mailer_seen (mailer, seen_at) VALUES (session_user, now())
    ON CONFLICT (mailer) DO UPDATE SET seen_at = excluded.seen_at;
$$;

-- Whether a mailer has polled lately: then responses are emailed unless the agent says not.
CREATE FUNCTION public.caredesk_mail_available() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM public.caredesk_mailer_seen WHERE seen_at > now() - interval '2 minutes');
$$;

-- The report, now with its language, its first status link, and (when mail is delivered)
-- the confirmation email, all in one transaction.
DROP FUNCTION public.caredesk_report_issue(text, text, text, text, text, text, text, text);
CREATE FUNCTION public.caredesk_report_issue(
    p_name text, p_email text, p_phone text, p_phone_e164 text, p_order_id text,
    p_issue_type text, p_description text, p_priority text, p_language text
) RETURNS TABLE (issue_id bigint, status_token text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET lock_timeout = '3s'
    SET statement_timeout = '10s' AS $$
DECLARE
    new_id bigint;
BEGIN
    INSERT INTO public.customer_care (name, email, phone, phone_e164, order_id, issue_type, description, priority, language)
    VALUES (p_name, p_email, p_phone, p_phone_e164, p_order_id, p_issue_type, p_description, p_priority, p_language)
    RETURNING id INTO new_id;
    IF public.caredesk_mail_available() THEN
        PERFORM public.caredesk_queue_email(new_id, 'confirmation', NULL);
    END IF;
    RETURN QUERY SELECT new_id, public.caredesk_new_link(new_id);
END
$$;
REVOKE ALL ON FUNCTION public.caredesk_report_issue(text, text, text, text, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.caredesk_report_issue(text, text, text, text, text, text, text, text, text) TO caredesk_intake;

-- The issue a status link opens, if it is valid: known, and its issue not resolved longer
-- than p_days ago.
CREATE FUNCTION public.caredesk_link_issue(p_token_hash bytea, p_days integer) RETURNS bigint
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT c.id FROM public.customer_care_link l JOIN public.customer_care c ON c.id = l.issue_id
     WHERE l.token_hash = p_token_hash
       AND (c.resolved_at IS NULL OR c.resolved_at > now() - make_interval(days => p_days));
$$;

-- What the customer may see of their issue: its number, type, status and age, what the
-- shop answered, and a timeline without agents' names. NULL for an unknown or expired link.
CREATE FUNCTION public.caredesk_status(p_token_hash bytea, p_days integer) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    issue bigint := public.caredesk_link_issue(p_token_hash, p_days);
BEGIN
    IF issue IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN (
        SELECT jsonb_build_object(
            'id', c.id, 'issue_type', c.issue_type, 'status', c.status, 'language', c.language,
            'created_at', c.created_at, 'resolved_at', c.resolved_at,
            'satisfaction', (SELECT jsonb_build_object('solved', s.solved, 'comment', s.comment, 'answered_at', s.answered_at)
                               FROM public.customer_care_satisfaction s WHERE s.issue_id = c.id),
            'events', coalesce((
                SELECT jsonb_agg(jsonb_build_object('kind', e.kind, 'at', e.at, 'detail',
                           CASE e.kind
                               WHEN 'status_changed' THEN jsonb_build_object('to', e.detail->'to')
                               WHEN 'responded' THEN jsonb_build_object('response', e.detail->'response')
                               WHEN 'customer_message' THEN jsonb_build_object('text', e.detail->'text')
                               WHEN 'satisfaction' THEN jsonb_build_object('solved', e.detail->'solved')
                               ELSE '{}'::jsonb
                           END) ORDER BY e.at, e.id)
                  FROM public.customer_care_event e
                 WHERE e.issue_id = c.id
                   AND e.kind IN ('created', 'status_changed', 'responded', 'customer_message', 'satisfaction')
            ), '[]'::jsonb))
          FROM public.customer_care c WHERE c.id = issue
    );
END
$$;
REVOKE ALL ON FUNCTION public.caredesk_status(bytea, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.caredesk_status(bytea, integer) TO caredesk_intake;

-- The customer writes again from the status page: on the timeline as the customer's message;
-- a resolved issue opens again. Returns the issue's id (NULL for an invalid link).
CREATE FUNCTION public.caredesk_customer_message(p_token_hash bytea, p_days integer, p_text text)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET lock_timeout = '3s'
    SET statement_timeout = '10s' AS $$
DECLARE
    issue bigint := public.caredesk_link_issue(p_token_hash, p_days);
BEGIN
    IF issue IS NULL THEN
        RETURN NULL;
    END IF;
    IF btrim(p_text) = '' OR char_length(p_text) > 5000 THEN
        RAISE EXCEPTION 'a message has 1 to 5000 characters'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'customer_care_message_length';
    END IF;
    INSERT INTO public.customer_care_event (issue_id, actor, kind, detail)
    VALUES (issue, 'customer', 'customer_message', jsonb_build_object('text', p_text));
    UPDATE public.customer_care SET status = 'open' WHERE id = issue AND status = 'resolved';
    IF FOUND THEN
        -- the customer reopened it, not the public service's login
        UPDATE public.customer_care_event SET actor = 'customer'
         WHERE id = (SELECT max(id) FROM public.customer_care_event
                      WHERE issue_id = issue AND kind = 'status_changed');
    END IF;
    PERFORM pg_notify('caredesk_customer_message', jsonb_build_object('id', issue)::text);
    RETURN issue;
END
$$;
REVOKE ALL ON FUNCTION public.caredesk_customer_message(bytea, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.caredesk_customer_message(bytea, integer, text) TO caredesk_intake;

-- "Did this solve your problem?": once, for a resolved issue. False if it was not asked.
CREATE FUNCTION public.caredesk_satisfaction(p_token_hash bytea, p_days integer, p_solved boolean, p_comment text)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    issue bigint := public.caredesk_link_issue(p_token_hash, p_days);
    comment text := nullif(btrim(coalesce(p_comment, '')), '');
BEGIN
    IF issue IS NULL OR NOT EXISTS (SELECT 1 FROM public.customer_care WHERE id = issue AND status = 'resolved') THEN
        RETURN false;
    END IF;
    INSERT INTO public.customer_care_satisfaction (issue_id, solved, comment) VALUES (issue, p_solved, comment)
    ON CONFLICT (issue_id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO public.customer_care_event (issue_id, actor, kind, detail)
    VALUES (issue, 'customer', 'satisfaction', jsonb_build_object('solved', p_solved, 'comment', comment));
    RETURN true;
END
$$;
REVOKE ALL ON FUNCTION public.caredesk_satisfaction(bytea, integer, boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.caredesk_satisfaction(bytea, integer, boolean, text) TO caredesk_intake;

-- Responses and resolutions are emailed when the agent's transaction asks for it
-- (set_config('caredesk.email', 'on', true), as the desktop does when mail is available and
-- the agent left "email the customer" on).
CREATE FUNCTION public.customer_care_queue_emails() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('caredesk.email', true), '') <> 'on' OR NOT public.caredesk_mail_available() THEN
        RETURN NULL;
    END IF;
    -- what was queued is left in the transaction for the agent's app to tell the agent
    IF NEW.admin_response IS DISTINCT FROM OLD.admin_response AND NEW.admin_response IS NOT NULL THEN
        PERFORM public.caredesk_queue_email(NEW.id, 'response', NEW.admin_response);
        PERFORM pg_catalog.set_config('caredesk.emailed', 'response', true);
    ELSIF NEW.status = 'resolved' AND OLD.status <> 'resolved' THEN
        PERFORM public.caredesk_queue_email(NEW.id, 'resolved', NULL);
        PERFORM pg_catalog.set_config('caredesk.emailed', 'resolved', true);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER customer_care_queue_emails AFTER UPDATE ON public.customer_care
    FOR EACH ROW EXECUTE FUNCTION public.customer_care_queue_emails();

-- The mailer's outcome, on the timeline: emailed, or failed for good.
CREATE FUNCTION public.customer_care_record_delivery() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.sent_at IS NOT NULL AND OLD.sent_at IS NULL THEN
        INSERT INTO public.customer_care_event (issue_id, at, actor, kind, detail)
        VALUES (NEW.issue_id, NEW.sent_at, 'mailer', 'emailed', jsonb_build_object('email', NEW.kind));
    ELSIF NEW.failed_at IS NOT NULL AND OLD.failed_at IS NULL THEN
        INSERT INTO public.customer_care_event (issue_id, at, actor, kind, detail)
        VALUES (NEW.issue_id, NEW.failed_at, 'mailer', 'email_failed',
                jsonb_build_object('email', NEW.kind, 'error', left(NEW.last_error, 300)));
    ELSE
        RETURN NULL;
    END IF;
    -- desktops showing the issue follow (the event says what happened)
    PERFORM pg_notify('caredesk_issue_changed', json_build_object(
        'id', NEW.issue_id, 'deleted', false, 'by', 'mailer')::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER customer_care_record_delivery AFTER UPDATE OF sent_at, failed_at ON public.customer_care_outbox
    FOR EACH ROW EXECUTE FUNCTION public.customer_care_record_delivery();

-- The owner owns it all; who may do what.
ALTER TABLE public.customer_care_link OWNER TO caredesk_owner;
ALTER TABLE public.customer_care_satisfaction OWNER TO caredesk_owner;
ALTER TABLE public.customer_care_outbox OWNER TO caredesk_owner;
ALTER TABLE public.caredesk_mailer_seen OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_new_link(bigint) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_queue_email(bigint, text, text) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_mail_available() OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_mailer_alive() OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_report_issue(text, text, text, text, text, text, text, text, text) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_link_issue(bytea, integer) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_status(bytea, integer) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_customer_message(bytea, integer, text) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_satisfaction(bytea, integer, boolean, text) OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_queue_emails() OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_record_delivery() OWNER TO caredesk_owner;

REVOKE ALL ON public.customer_care_link, public.customer_care_satisfaction,
    public.customer_care_outbox, public.caredesk_mailer_seen FROM PUBLIC;
REVOKE ALL ON FUNCTION public.caredesk_new_link(bigint), public.caredesk_queue_email(bigint, text, text),
    public.caredesk_link_issue(bytea, integer), public.customer_care_queue_emails(),
    public.customer_care_record_delivery() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.caredesk_mail_available() TO caredesk_agent, caredesk_intake;
-- agents see whether a customer was satisfied; the mailer reads and updates the outbox
GRANT SELECT ON public.customer_care_satisfaction TO caredesk_agent;
GRANT SELECT, UPDATE (attempts, next_attempt_at, sent_at, failed_at, last_error, link_token)
    ON public.customer_care_outbox TO caredesk_mailer;
REVOKE ALL ON FUNCTION public.caredesk_mailer_alive() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.caredesk_mailer_alive() TO caredesk_mailer;
