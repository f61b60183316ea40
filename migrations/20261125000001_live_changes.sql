-- Live changes for every open desktop: an UPDATE or DELETE on customer_care sends
-- NOTIFY caredesk_issue_changed with {id, deleted, by}, so other agents' lists, counts and
-- open issue follow at once instead of at the next quiet refresh. `by` is the login that
-- made the change (session_user: the trigger runs with the changer's session), so a desk
-- can skip its own changes, which it already shows.
CREATE FUNCTION customer_care_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    issue_id bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
BEGIN
    PERFORM pg_notify('caredesk_issue_changed', json_build_object(
        'id', issue_id, 'deleted', TG_OP = 'DELETE', 'by', session_user)::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER customer_care_notify_change AFTER UPDATE OR DELETE ON customer_care
    FOR EACH ROW EXECUTE FUNCTION customer_care_notify_change();

-- The Urgent view lists urgent issues that are not resolved yet, newest first. Most urgent
-- issues of a long-lived shop are resolved, so walking the priority index would skip many
-- rows to fill a page; this partial index holds only the unresolved ones.
CREATE INDEX customer_care_unresolved_priority_newest_idx
    ON customer_care (priority, created_at DESC, id DESC) WHERE status <> 'resolved';
