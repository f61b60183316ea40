-- The response promise as a timer. The shop's promise (hours per priority, counted in
-- clock hours or in opening hours, in the shop's time zone, with its public holidays) lives
-- here, applied from the shop profile by `caredesk-server migrate`. Each issue's first
-- response is due at a time computed once on intake and again on a priority change,
-- stored and indexed, so "Overdue" is a view with a live count the index answers. The
-- first response stops the timer, and the timeline says whether it met the promise.

-- One row: the promise itself. Without a profile: 24 hours, clock hours, UTC.
CREATE TABLE public.caredesk_promise (
    only_row          boolean PRIMARY KEY DEFAULT true CONSTRAINT caredesk_promise_one_row CHECK (only_row),
    normal_hours      integer NOT NULL DEFAULT 24 CONSTRAINT caredesk_promise_normal_hours CHECK (normal_hours BETWEEN 1 AND 8760),
    high_hours        integer NOT NULL DEFAULT 24 CONSTRAINT caredesk_promise_high_hours CHECK (high_hours BETWEEN 1 AND 8760),
    urgent_hours      integer NOT NULL DEFAULT 24 CONSTRAINT caredesk_promise_urgent_hours CHECK (urgent_hours BETWEEN 1 AND 8760),
    time_zone         text NOT NULL DEFAULT 'UTC',
    in_opening_hours  boolean NOT NULL DEFAULT false
);
INSERT INTO public.caredesk_promise DEFAULT VALUES;

-- When the shop is open, per ISO weekday (1 Monday … 7 Sunday), in the shop's local time;
-- a day may have several spans (a lunch break). `closes` may be 24:00.
CREATE TABLE public.caredesk_opening_hours (
    weekday  smallint NOT NULL CONSTRAINT caredesk_opening_hours_weekday CHECK (weekday BETWEEN 1 AND 7),
    opens    time NOT NULL,
    closes   time NOT NULL,
    CONSTRAINT caredesk_opening_hours_span CHECK (opens < closes),
    PRIMARY KEY (weekday, opens)
);

-- Closed days (public holidays), in the shop's calendar.
CREATE TABLE public.caredesk_holiday (
    day date PRIMARY KEY
);

-- When a first response to a report made at `p_from` with `p_priority` is due: the
-- priority's promise in clock hours, or counted through the opening hours (holidays closed)
-- when the shop says so. Spans are turned into real instants in the shop's time zone, so
-- a day that loses or gains an hour to daylight saving counts what the clock really did.
-- NULL when the shop is never open within ten years.
CREATE FUNCTION public.caredesk_due_at(p_from timestamptz, p_priority text) RETURNS timestamptz
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    promise public.caredesk_promise;
    remaining double precision;   -- seconds still to count
    local_day date;
    opened timestamptz;
    closed timestamptz;
    span record;
BEGIN
    SELECT * INTO promise FROM public.caredesk_promise;
    IF NOT FOUND THEN
        RETURN p_from + interval '24 hours';
    END IF;
    remaining := 3600.0 * CASE p_priority WHEN 'urgent' THEN promise.urgent_hours
                                          WHEN 'high' THEN promise.high_hours
                                          ELSE promise.normal_hours END;
    IF NOT promise.in_opening_hours THEN
        RETURN p_from + make_interval(secs => remaining);
    END IF;
    local_day := (p_from AT TIME ZONE promise.time_zone)::date;
    FOR day_number IN 0 .. 3660 LOOP
        IF NOT EXISTS (SELECT 1 FROM public.caredesk_holiday h WHERE h.day = local_day) THEN
            FOR span IN SELECT o.opens, o.closes FROM public.caredesk_opening_hours o
                         WHERE o.weekday = extract(isodow FROM local_day) ORDER BY o.opens LOOP
                opened := greatest(p_from, (local_day + span.opens) AT TIME ZONE promise.time_zone);
                closed := (local_day + span.closes) AT TIME ZONE promise.time_zone;
                IF opened < closed THEN
                    IF extract(epoch FROM closed - opened) >= remaining THEN
                        RETURN opened + make_interval(secs => remaining);
                    END IF;
                    remaining := remaining - extract(epoch FROM closed - opened);
                END IF;
            END LOOP;
        END IF;
        local_day := local_day + 1;
    END LOOP;
    RETURN NULL;
END
$$;

ALTER TABLE public.customer_care
    ADD COLUMN due_at timestamptz,
    ADD COLUMN first_response_at timestamptz;

-- Issues from before the timer: due by today's promise (24 clock hours unless a profile
-- is applied later), answered when their first response was recorded. The triggers stay
-- out of it: nothing the timeline records changes.
ALTER TABLE public.customer_care DISABLE TRIGGER USER;
UPDATE public.customer_care c
   SET due_at = public.caredesk_due_at(c.created_at, c.priority),
       first_response_at = coalesce(
           (SELECT min(e.at) FROM public.customer_care_event e
             WHERE e.issue_id = c.id AND e.kind = 'responded'),
           CASE WHEN c.admin_response IS NOT NULL THEN c.updated_at END);
ALTER TABLE public.customer_care ENABLE TRIGGER USER;

-- The Overdue view and its count: unresolved issues still waiting for a first response,
-- by due time (the count) and newest first (the list).
CREATE INDEX customer_care_awaiting_due_idx ON public.customer_care (due_at)
    WHERE first_response_at IS NULL AND status <> 'resolved';
CREATE INDEX customer_care_awaiting_newest_idx ON public.customer_care (created_at DESC, id DESC)
    WHERE first_response_at IS NULL AND status <> 'resolved';
-- The dashboard's response times of the last 30 days.
CREATE INDEX customer_care_first_response_idx ON public.customer_care (first_response_at)
    WHERE first_response_at IS NOT NULL;

-- On intake: due by the promise, from the report's time. An imported issue that already
-- carries a response counts as answered when it was last changed.
CREATE FUNCTION public.customer_care_start_timer() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.due_at := public.caredesk_due_at(NEW.created_at, NEW.priority);
    IF NEW.admin_response IS NULL THEN
        NEW.first_response_at := NULL;
    ELSE
        NEW.first_response_at := coalesce(NEW.first_response_at, NEW.updated_at);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER customer_care_start_timer BEFORE INSERT ON public.customer_care
    FOR EACH ROW EXECUTE FUNCTION public.customer_care_start_timer();

-- The version trigger also keeps the timer: a priority change before the first response
-- sets the due time by the new priority's promise (still from the report's time), and the
-- first response stops the timer at its version.
CREATE OR REPLACE FUNCTION public.customer_care_touch() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- nothing the timeline would record changed: keep the row (and its version) as it is
    -- (every column but the version itself, the generated phone digits and the timer)
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
    -- the timer is the database's alone
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

-- "The first response met the promise" (or came late by so many seconds), at the
-- response's version, like every event an update writes.
CREATE FUNCTION public.customer_care_record_first_response() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF OLD.first_response_at IS NULL AND NEW.first_response_at IS NOT NULL THEN
        INSERT INTO public.customer_care_event (issue_id, at, kind, detail)
        VALUES (NEW.id, NEW.updated_at, 'first_response', jsonb_build_object(
            'due_at', NEW.due_at,
            'late_seconds', CASE WHEN NEW.due_at IS NULL THEN 0
                                 ELSE greatest(0, floor(extract(epoch FROM NEW.first_response_at - NEW.due_at)))::bigint END));
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER customer_care_record_first_response AFTER UPDATE OF admin_response ON public.customer_care
    FOR EACH ROW EXECUTE FUNCTION public.customer_care_record_first_response();

ALTER TABLE public.customer_care_event DROP CONSTRAINT customer_care_event_kind_known;
ALTER TABLE public.customer_care_event ADD CONSTRAINT customer_care_event_kind_known CHECK (kind IN
    ('created', 'status_changed', 'priority_changed', 'responded', 'contact_changed', 'deleted',
     'customer_message', 'satisfaction', 'emailed', 'email_failed', 'note', 'assigned',
     'first_response'));

ALTER TABLE public.caredesk_promise OWNER TO caredesk_owner;
ALTER TABLE public.caredesk_opening_hours OWNER TO caredesk_owner;
ALTER TABLE public.caredesk_holiday OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_due_at(timestamptz, text) OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_start_timer() OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_record_first_response() OWNER TO caredesk_owner;
REVOKE ALL ON FUNCTION public.customer_care_record_first_response() FROM PUBLIC;

-- The promise is no secret: agents read it (the dashboard says what it is), the public
-- server compares it with its profile; only the schema's owner changes it. An agent's
-- priority change computes a due time, so agents (and intake's definer function, as the
-- owner) read the schedule the computation needs.
GRANT SELECT ON public.caredesk_promise, public.caredesk_opening_hours, public.caredesk_holiday
    TO caredesk_agent, caredesk_intake;
