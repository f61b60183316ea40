-- Rebuilds the view counters from the issues themselves, for bulk loads that turn the
-- counting trigger off (seeding, imports) and to repair the numbers by hand. Only the
-- owner may run it.
CREATE FUNCTION caredesk_recount_issues() RETURNS void
    LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    DELETE FROM public.customer_care_count;
    INSERT INTO public.customer_care_count (slot, status, priority, issues)
    SELECT (id % 16)::smallint, status, priority, count(*)
      FROM public.customer_care GROUP BY 1, 2, 3;
$$;
REVOKE ALL ON FUNCTION caredesk_recount_issues() FROM PUBLIC;
