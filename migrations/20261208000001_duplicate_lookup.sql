-- Possible duplicates are looked up in three small indexes of the issues not yet resolved,
-- each already in "newest first" order, so marking a report costs three index probes
-- however many issues share its phone, email or order. (The first version's single query
-- with OR over three columns let the planner pick a sequential scan when the plan was made
-- on a small table, and then every report read the whole table.)

CREATE INDEX customer_care_unresolved_order_idx ON public.customer_care (order_id, created_at DESC, id DESC)
    WHERE status <> 'resolved' AND order_id IS NOT NULL;
CREATE INDEX customer_care_unresolved_email_idx ON public.customer_care (lower(email), created_at DESC, id DESC)
    WHERE status <> 'resolved';
CREATE INDEX customer_care_unresolved_phone_idx ON public.customer_care (phone_e164, created_at DESC, id DESC)
    WHERE status <> 'resolved';
-- The first version's index of every order id served only that query.
DROP INDEX public.customer_care_order_id_idx;

-- Same rule as before: the newest unresolved issue about the same order, else the newest
-- unresolved issue with the same email (any case) or phone; what they share is named
-- strongest sign first. Only issues reported before this one count: the later report is
-- the repeat, even when the trigger runs after a whole batch of rows (a COPY, an import)
-- is in the table.
CREATE OR REPLACE FUNCTION public.customer_care_mark_duplicate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    earlier bigint;
BEGIN
    IF NEW.order_id IS NOT NULL THEN
        SELECT c.id INTO earlier FROM public.customer_care c
         WHERE c.order_id = NEW.order_id AND c.status <> 'resolved'
           AND (c.created_at, c.id) < (NEW.created_at, NEW.id)
         ORDER BY c.created_at DESC, c.id DESC LIMIT 1;
    END IF;
    IF earlier IS NULL THEN
        SELECT m.id INTO earlier FROM (
            (SELECT c.id, c.created_at FROM public.customer_care c
              WHERE lower(c.email) = lower(NEW.email) AND c.status <> 'resolved'
                AND (c.created_at, c.id) < (NEW.created_at, NEW.id)
              ORDER BY c.created_at DESC, c.id DESC LIMIT 1)
            UNION ALL
            (SELECT c.id, c.created_at FROM public.customer_care c
              WHERE c.phone_e164 = NEW.phone_e164 AND c.status <> 'resolved'
                AND (c.created_at, c.id) < (NEW.created_at, NEW.id)
              ORDER BY c.created_at DESC, c.id DESC LIMIT 1)
        ) m ORDER BY m.created_at DESC, m.id DESC LIMIT 1;
    END IF;
    IF earlier IS NOT NULL THEN
        INSERT INTO public.customer_care_duplicate (issue_id, of_issue_id, matched)
        SELECT NEW.id, c.id,
               CASE WHEN c.order_id = NEW.order_id THEN 'order_id'
                    WHEN lower(c.email) = lower(NEW.email) THEN 'email'
                    ELSE 'phone' END
          FROM public.customer_care c WHERE c.id = earlier;
    END IF;
    RETURN NULL;
END
$$;
