-- The public service's logins need more connections than a desktop: each server instance
-- pools up to CAREDESK_DB_POOL (default 10) of them, and a shop may run two instances or
-- restart one while the old one drains. Agent logins keep their 10.
CREATE OR REPLACE FUNCTION public.caredesk_limit_login(p_login text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- a statement longer than this is a mistake; a lock waited for longer is someone
    -- else's forgotten transaction; a transaction left idle is a forgotten one
    EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', p_login, '30s');
    EXECUTE format('ALTER ROLE %I SET lock_timeout = %L', p_login, '5s');
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', p_login, '30s');
    IF pg_catalog.pg_has_role(p_login, 'caredesk_intake', 'MEMBER') THEN
        -- two server instances with the default pool, and room for a restart
        EXECUTE format('ALTER ROLE %I CONNECTION LIMIT 40', p_login);
    ELSE
        -- a desktop needs two (its listener and one pooled), more only while busy; room
        -- for a second desktop and a restart
        EXECUTE format('ALTER ROLE %I CONNECTION LIMIT 10', p_login);
    END IF;
END
$$;

-- the public service's logins that exist already get the new limit
DO $limits$
DECLARE
    login text;
BEGIN
    FOR login IN
        SELECT r.rolname FROM pg_catalog.pg_roles r
         WHERE r.rolcanlogin AND NOT r.rolsuper
           AND pg_catalog.pg_has_role(r.oid, 'caredesk_intake', 'MEMBER')
    LOOP
        BEGIN
            PERFORM public.caredesk_limit_login(login);
        EXCEPTION WHEN internal_error THEN
            NULL; -- "tuple concurrently updated": another database's migration set them
        END;
    END LOOP;
END
$limits$;
