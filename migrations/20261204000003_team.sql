-- The team, managed from the desktop: admins list the agents, add one, disable and enable a
-- login (it cannot sign in; its history stays), reset a password and grant or take back
-- admin; every agent changes their own password. Each is a SECURITY DEFINER function owned
-- by caredesk_owner, which may manage roles, and each touches CareDesk logins only: a
-- login in caredesk_agent that is no superuser and no CareDesk group, never `postgres` or
-- another application's roles. Passwords arrive as SCRAM-SHA-256 verifiers, never in clear.

-- The owner manages the team's roles. PostgreSQL 16 also asks for ADMIN OPTION on a role
-- to grant it or to change a role the owner did not create; 14 and 15 need CREATEROLE only.
-- A disabled login's open sessions end at once (pg_signal_backend: non-superusers' only).
-- Roles are the cluster's: another database's migration may make the same change at the
-- same moment ("tuple concurrently updated"), and then it is made.
DO $owner$
BEGIN
    IF NOT (SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = 'caredesk_owner') THEN
        ALTER ROLE caredesk_owner CREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
                    WHERE m.member = 'caredesk_owner'::regrole AND m.roleid = 'caredesk_admin'::regrole
                      AND m.admin_option) THEN
        GRANT caredesk_agent, caredesk_admin TO caredesk_owner WITH ADMIN OPTION;
    END IF;
    IF NOT pg_catalog.pg_has_role('caredesk_owner', 'pg_signal_backend', 'MEMBER') THEN
        GRANT pg_signal_backend TO caredesk_owner;
    END IF;
EXCEPTION WHEN internal_error THEN
    NULL;
END
$owner$;

-- When each agent last used CareDesk (the desktop says so as it signs in).
CREATE TABLE public.caredesk_agent_seen (
    login         text PRIMARY KEY,
    last_seen_at  timestamptz NOT NULL
);

-- A CareDesk login, enabled or not: may be managed by the functions below.
CREATE FUNCTION public.caredesk_is_team_login(p_login text) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM pg_catalog.pg_roles r
         WHERE r.rolname = p_login AND NOT r.rolsuper AND r.rolname NOT LIKE 'caredesk\_%'
           AND r.rolname NOT LIKE 'pg\_%' AND r.rolname <> 'postgres'
           AND pg_catalog.pg_has_role(r.oid, 'caredesk_agent', 'MEMBER'));
$$;

-- Refuses anything but a CareDesk login, and (for changes that would lock the caller
-- out) the caller's own.
CREATE FUNCTION public.caredesk_check_team_login(p_login text, p_not_self boolean) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT public.caredesk_is_team_login(p_login) THEN
        RAISE EXCEPTION '% is not a CareDesk agent', p_login
            USING ERRCODE = 'undefined_object';
    END IF;
    IF p_not_self AND p_login = session_user THEN
        RAISE EXCEPTION 'an admin cannot do this to their own login; ask another admin'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

CREATE FUNCTION public.caredesk_team()
RETURNS TABLE (login text, is_admin boolean, enabled boolean, last_seen_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT r.rolname::text, pg_catalog.pg_has_role(r.oid, 'caredesk_admin', 'MEMBER'),
           r.rolcanlogin, s.last_seen_at
      FROM pg_catalog.pg_roles r
      LEFT JOIN public.caredesk_agent_seen s ON s.login = r.rolname
     WHERE public.caredesk_is_team_login(r.rolname)
     ORDER BY r.rolname;
$$;

-- The desktop calls this as it signs in.
CREATE FUNCTION public.caredesk_seen() RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    INSERT INTO public.caredesk_agent_seen (login, last_seen_at)
    VALUES (session_user, clock_timestamp())
    ON CONFLICT (login) DO UPDATE SET last_seen_at = excluded.last_seen_at;
$$;

CREATE FUNCTION public.caredesk_add_agent(p_login text, p_scram_verifier text, p_admin boolean)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_login !~ '^[a-z][a-z0-9_.-]{0,62}$' OR p_login LIKE 'caredesk\_%' OR p_login LIKE 'pg\_%'
       OR p_login = 'postgres' THEN
        RAISE EXCEPTION '"%" cannot be a CareDesk login', p_login
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM public.caredesk_create_agent(p_login, p_scram_verifier, p_admin);
END
$$;

CREATE FUNCTION public.caredesk_set_agent_enabled(p_login text, p_enabled boolean)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM public.caredesk_check_team_login(p_login, NOT p_enabled);
    EXECUTE format('ALTER ROLE %I %s', p_login, CASE WHEN p_enabled THEN 'LOGIN' ELSE 'NOLOGIN' END);
    IF NOT p_enabled THEN
        PERFORM pg_catalog.pg_terminate_backend(a.pid, 3000)
           FROM pg_catalog.pg_stat_activity a WHERE a.usename = p_login;
    END IF;
END
$$;

CREATE FUNCTION public.caredesk_reset_password(p_login text, p_scram_verifier text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM public.caredesk_check_team_login(p_login, false);
    IF p_scram_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
        RAISE EXCEPTION 'the password must arrive as a SCRAM-SHA-256 verifier'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_scram_verifier);
END
$$;

CREATE FUNCTION public.caredesk_set_agent_admin(p_login text, p_admin boolean)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM public.caredesk_check_team_login(p_login, NOT p_admin);
    IF p_admin THEN
        EXECUTE format('GRANT caredesk_admin TO %I', p_login);
    ELSE
        -- an admin created as one is an agent only through caredesk_admin: keep the agent
        EXECUTE format('GRANT caredesk_agent TO %I', p_login);
        EXECUTE format('REVOKE caredesk_admin FROM %I', p_login);
    END IF;
END
$$;

-- For the command line only (`caredesk-server agent remove`): the login goes; the issues
-- it owned keep their timeline, and nobody owns them any more.
CREATE FUNCTION public.caredesk_remove_agent(p_login text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM public.caredesk_check_team_login(p_login, true);
    PERFORM pg_catalog.pg_terminate_backend(a.pid, 3000)
       FROM pg_catalog.pg_stat_activity a WHERE a.usename = p_login;
    UPDATE public.customer_care SET owner = NULL WHERE owner = p_login;
    DELETE FROM public.caredesk_agent_seen WHERE login = p_login;
    EXECUTE format('DROP ROLE %I', p_login);
END
$$;

-- Any agent's own password, as a verifier (a login may always change its own).
CREATE FUNCTION public.caredesk_change_own_password(p_scram_verifier text)
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_scram_verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
        RAISE EXCEPTION 'the password must arrive as a SCRAM-SHA-256 verifier'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', session_user, p_scram_verifier);
END
$$;

-- Roles made before this migration were made by whoever ran `agent add`: PostgreSQL 16
-- lets the owner change them only with ADMIN OPTION on each.
DO $team$
DECLARE
    member text;
BEGIN
    FOR member IN SELECT r.rolname FROM pg_catalog.pg_roles r WHERE public.caredesk_is_team_login(r.rolname) LOOP
        BEGIN
            EXECUTE format('GRANT %I TO caredesk_owner WITH ADMIN OPTION', member);
        EXCEPTION WHEN internal_error OR invalid_grant_operation THEN
            NULL; -- another database's migration granted it at the same moment, or a loop
        END;
    END LOOP;
END
$team$;

ALTER TABLE public.caredesk_agent_seen OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_is_team_login(text) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_check_team_login(text, boolean) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_team() OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_seen() OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_add_agent(text, text, boolean) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_set_agent_enabled(text, boolean) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_reset_password(text, text) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_set_agent_admin(text, boolean) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_remove_agent(text) OWNER TO caredesk_owner;
ALTER FUNCTION public.caredesk_change_own_password(text) OWNER TO caredesk_owner;
REVOKE ALL ON FUNCTION public.caredesk_is_team_login(text), public.caredesk_check_team_login(text, boolean),
    public.caredesk_team(), public.caredesk_seen(), public.caredesk_add_agent(text, text, boolean),
    public.caredesk_set_agent_enabled(text, boolean), public.caredesk_reset_password(text, text),
    public.caredesk_set_agent_admin(text, boolean), public.caredesk_remove_agent(text),
    public.caredesk_change_own_password(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.caredesk_seen(), public.caredesk_change_own_password(text) TO caredesk_agent;
GRANT EXECUTE ON FUNCTION public.caredesk_team(), public.caredesk_add_agent(text, text, boolean),
    public.caredesk_set_agent_enabled(text, boolean), public.caredesk_reset_password(text, text),
    public.caredesk_set_agent_admin(text, boolean) TO caredesk_admin;
