-- New reports count in counter slots of their own (16 to 31) and agents' changes in slots 0
-- to 15: an agent's transaction, however long it stays open, never holds a counter row a
-- report needs, so the public form keeps taking reports. A count is the sum over all slots,
-- so a single slot may go below zero.
CREATE OR REPLACE FUNCTION public.customer_care_keep_count() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO public.customer_care_count AS c (slot, status, priority, issues)
        VALUES (OLD.id % 16, OLD.status, OLD.priority, -1)
        ON CONFLICT (slot, status, priority) DO UPDATE SET issues = c.issues - 1;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO public.customer_care_count AS c (slot, status, priority, issues)
        VALUES (NEW.id % 16 + CASE WHEN TG_OP = 'INSERT' THEN 16 ELSE 0 END,
                NEW.status, NEW.priority, 1)
        ON CONFLICT (slot, status, priority) DO UPDATE SET issues = c.issues + 1;
    END IF;
    RETURN NULL;
END
$$;
