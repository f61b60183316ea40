-- Customers write twice about the same order: a report whose order id, email (any case) or
-- phone (E.164) matches an issue not yet resolved is marked, at intake, as a possible
-- duplicate of the newest such issue (the same order first). Agents see the mark on both
-- issues; the customer is never told (the status page and emails know nothing of it).

CREATE TABLE public.customer_care_duplicate (
    -- the later report
    issue_id     bigint PRIMARY KEY REFERENCES public.customer_care (id) ON DELETE CASCADE,
    -- the open issue it may repeat
    of_issue_id  bigint NOT NULL REFERENCES public.customer_care (id) ON DELETE CASCADE,
    -- what they share, the strongest sign first
    matched      text NOT NULL CONSTRAINT customer_care_duplicate_matched_known CHECK (
                     matched IN ('order_id', 'email', 'phone')),
    CONSTRAINT customer_care_duplicate_not_itself CHECK (issue_id <> of_issue_id)
);
CREATE INDEX customer_care_duplicate_of_idx ON public.customer_care_duplicate (of_issue_id);

-- "The same order" is an exact match, answered by an index of its own.
CREATE INDEX customer_care_order_id_idx ON public.customer_care (order_id) WHERE order_id IS NOT NULL;

CREATE FUNCTION public.customer_care_mark_duplicate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO public.customer_care_duplicate (issue_id, of_issue_id, matched)
    SELECT NEW.id, c.id,
           CASE WHEN c.order_id = NEW.order_id THEN 'order_id'
                WHEN lower(c.email) = lower(NEW.email) THEN 'email'
                ELSE 'phone' END
      FROM public.customer_care c
     WHERE c.id <> NEW.id AND c.status <> 'resolved'
       AND (c.order_id = NEW.order_id OR lower(c.email) = lower(NEW.email)
            OR c.phone_e164 = NEW.phone_e164)
     ORDER BY c.order_id = NEW.order_id IS TRUE DESC, c.created_at DESC, c.id DESC
     LIMIT 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER customer_care_mark_duplicate AFTER INSERT ON public.customer_care
    FOR EACH ROW EXECUTE FUNCTION public.customer_care_mark_duplicate();

ALTER TABLE public.customer_care_duplicate OWNER TO caredesk_owner;
ALTER FUNCTION public.customer_care_mark_duplicate() OWNER TO caredesk_owner;
REVOKE ALL ON FUNCTION public.customer_care_mark_duplicate() FROM PUBLIC;
GRANT SELECT ON public.customer_care_duplicate TO caredesk_agent;
