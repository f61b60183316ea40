-- The dashboard's counts at a million issues: counting rows each time takes a full scan, so
-- the database keeps the numbers per (status, priority) itself. Counters are spread over 16
-- slots by issue id, so concurrent reports do not queue on one counter row; a count is the
-- sum of at most 16 x 9 rows. "Resolved today" is answered by a partial index instead.

CREATE TABLE customer_care_count (
    slot        smallint NOT NULL,
    status      varchar(50) NOT NULL,
    priority    varchar(20) NOT NULL,
    issues      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (slot, status, priority)
);

INSERT INTO customer_care_count (slot, status, priority, issues)
SELECT (id % 16)::smallint, status, priority, count(*) FROM customer_care GROUP BY 1, 2, 3;

CREATE FUNCTION customer_care_keep_count() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE customer_care_count SET issues = issues - 1
         WHERE slot = OLD.id % 16 AND status = OLD.status AND priority = OLD.priority;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO customer_care_count AS c (slot, status, priority, issues)
        VALUES (NEW.id % 16, NEW.status, NEW.priority, 1)
        ON CONFLICT (slot, status, priority) DO UPDATE SET issues = c.issues + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER customer_care_keep_count AFTER INSERT OR DELETE ON customer_care
    FOR EACH ROW EXECUTE FUNCTION customer_care_keep_count();
CREATE TRIGGER customer_care_keep_count_on_change AFTER UPDATE OF status, priority ON customer_care
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.priority IS DISTINCT FROM NEW.priority)
    EXECUTE FUNCTION customer_care_keep_count();

CREATE INDEX customer_care_resolved_at_idx ON customer_care (resolved_at) WHERE resolved_at IS NOT NULL;

REVOKE ALL ON customer_care_count FROM PUBLIC;
REVOKE ALL ON FUNCTION customer_care_keep_count() FROM PUBLIC;
GRANT SELECT ON customer_care_count TO caredesk_agent;
