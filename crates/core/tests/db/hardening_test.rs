//! The schema holds on a PostgreSQL where everyone may create in `public` (14, or a cluster
//! upgraded from it), agents change only what the app changes, a change that changes
//! nothing moves nothing, and a forgotten agent transaction delays a report by seconds.

use std::time::{Duration, Instant};

use caredesk_core::Error;
use caredesk_core::agents::{self, AgentLogin};
use caredesk_core::db::{IssueUpdate, events, issues};
use caredesk_core::domain::{Priority, Status};
use caredesk_core::secret::Password;
use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool};

use crate::helpers::{add, add_simple, as_role, drop_login, form, login, new_issue, role_ddl};

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_operator_planted_in_public_never_runs_as_the_owner(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    // PostgreSQL 14's default, and that of a cluster upgraded from it
    sqlx::raw_sql(
        "GRANT CREATE ON SCHEMA public TO PUBLIC;
         CREATE TABLE public.planted_ran (who text, privileged boolean);
         GRANT INSERT ON public.planted_ran TO PUBLIC;",
    )
    .execute(&pool)
    .await
    .unwrap();
    let (agent, intake) = (
        login(&pool, "t_mallory", "caredesk_agent").await,
        login(&pool, "t_mallory_web", "caredesk_intake").await,
    );
    // each plants an operator that the triggers' and functions' comparisons of varchar
    // columns would pick over pg_catalog's, and that notes who ran it
    for (role, operator, function) in [(&agent, "=", "planted_eq"), (&intake, "<>", "planted_ne")] {
        let mut conn = as_role(&pool, role).await;
        let test = if operator == "=" {
            "$1::text = $2::text"
        } else {
            "$1::text <> $2::text"
        };
        sqlx::raw_sql(AssertSqlSafe(format!(
            "CREATE FUNCTION public.{function}(varchar, varchar) RETURNS boolean LANGUAGE plpgsql AS $f$
             BEGIN
                 INSERT INTO public.planted_ran SELECT current_user, rolsuper OR pg_has_role(current_user, 'caredesk_owner', 'MEMBER')
                   FROM pg_catalog.pg_roles WHERE rolname = current_user;
                 RETURN {test};
             END $f$;
             CREATE OPERATOR public.{operator} (LEFTARG = varchar, RIGHTARG = varchar, FUNCTION = public.{function});"
        )))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{role} could not plant {operator}: {e}"));
    }
    // the operators are there and do work for whoever queries with them directly
    let mut planter = as_role(&pool, &agent).await;
    let planted: bool = sqlx::query_scalar("SELECT 'a'::varchar OPERATOR(public.=) 'a'::varchar")
        .fetch_one(&mut planter)
        .await
        .unwrap();
    assert!(planted);
    drop(planter);
    sqlx::query("DELETE FROM public.planted_ran")
        .execute(&pool)
        .await
        .unwrap();

    // an agent's ordinary update, and the intake's ordinary report
    let mut as_agent = as_role(&pool, &agent).await;
    let seen = issues::get_by_id(&mut as_agent, id)
        .await
        .unwrap()
        .updated_at;
    let change = IssueUpdate {
        seen,
        status: Some(Status::Resolved),
        priority: Some(Priority::Urgent),
        response: None,
        email: false,
    };
    issues::update(&mut as_agent, id, &change).await.unwrap();
    drop(as_agent);
    let mut as_intake = as_role(&pool, &intake).await;
    issues::add(
        &mut as_intake,
        &new_issue(&form("Jonas", "jonas@example.com", "030 901820")),
    )
    .await
    .unwrap();
    drop(as_intake);
    // and the owner's own work on the rows
    sqlx::query("UPDATE customer_care SET status = 'in-progress' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();

    let ran: Vec<(String, bool)> = sqlx::query_as("SELECT who, privileged FROM public.planted_ran")
        .fetch_all(&pool)
        .await
        .unwrap();
    drop_login(&pool, &agent).await;
    drop_login(&pool, &intake).await;
    assert!(
        ran.iter().all(|(_, privileged)| !privileged),
        "planted code ran with the owner's rights: {ran:?}"
    );
    assert!(
        ran.is_empty(),
        "no CareDesk function or trigger used the planted operators: {ran:?}"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn nobody_but_the_owner_creates_in_public_and_the_owner_is_no_login(pool: PgPool) {
    let agent = login(&pool, "t_creator", "caredesk_agent").await;
    let mut conn = as_role(&pool, &agent).await;
    let refused = sqlx::query("CREATE TABLE public.mine (x int)")
        .execute(&mut conn)
        .await;
    drop(conn);
    let owners: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class
          WHERE relname IN ('customer_care', 'customer_care_event', 'customer_care_count')
         UNION
         SELECT DISTINCT pg_get_userbyid(proowner) FROM pg_proc
          WHERE proname LIKE 'customer_care%' OR proname LIKE 'caredesk%'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let (can_login, superuser): (bool, bool) = sqlx::query_as(
        "SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = 'caredesk_owner'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let unpinned: Vec<String> = sqlx::query_scalar(
        "SELECT proname::text FROM pg_proc
          WHERE (proname LIKE 'customer_care%' OR proname LIKE 'caredesk%')
            AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false)",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    drop_login(&pool, &agent).await;
    assert!(refused.is_err(), "an agent created a table in public");
    assert_eq!(owners, ["caredesk_owner"]);
    assert!(!can_login && !superuser);
    assert!(
        unpinned.is_empty(),
        "functions without a pinned search_path: {unpinned:?}"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn agents_change_only_status_priority_and_response(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    let mut agent = as_role(&pool, "caredesk_agent").await;
    for column in [
        "name",
        "email",
        "phone",
        "phone_e164",
        "order_id",
        "description",
        "issue_type",
    ] {
        let refused = sqlx::query(AssertSqlSafe(format!(
            "UPDATE customer_care SET {column} = {column} WHERE id = $1"
        )))
        .bind(id)
        .execute(&mut agent)
        .await;
        assert!(
            matches!(
                refused.map_err(Error::from),
                Err(Error::PermissionDenied(_))
            ),
            "an agent changed {column}"
        );
    }
    sqlx::query("UPDATE customer_care SET status = 'in-progress', priority = 'high', admin_response = 'On it' WHERE id = $1")
        .bind(id)
        .execute(&mut agent)
        .await
        .unwrap();
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_phone_change_is_on_the_timeline_even_in_its_e164_form_only(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    sqlx::query("UPDATE customer_care SET phone_e164 = '+4915199999999' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let last = events::timeline(&pool, id).await.unwrap().pop().unwrap();
    assert_eq!(last.summary, "postgres changed the customer's phone number");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_update_that_changes_nothing_moves_nothing(pool: PgPool) {
    let id = add_simple(&pool, "Amina").await;
    let mut conn = pool.acquire().await.unwrap();
    let before = issues::get_by_id(&mut *conn, id).await.unwrap();
    let same = IssueUpdate {
        seen: before.updated_at,
        status: Some(before.status),
        priority: Some(before.priority),
        response: None,
        email: false,
    };
    let after = issues::update(&mut conn, id, &same).await.unwrap();
    assert_eq!(after, before, "same version, same row");
    let touched =
        sqlx::query("UPDATE customer_care SET status = status, priority = priority WHERE id = $1")
            .bind(id)
            .execute(&pool)
            .await
            .unwrap()
            .rows_affected();
    assert_eq!(touched, 0, "the database keeps a row that would not change");
    assert_eq!(events::timeline(&pool, id).await.unwrap().len(), 1);
    assert_eq!(
        issues::get_by_id(&pool, id).await.unwrap().updated_at,
        before.updated_at
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_forgotten_agent_transaction_does_not_hold_up_reports(pool: PgPool) {
    // sixteen issues: the next report's id falls in issue 1's counter slot (id % 16)
    let mut ids = Vec::new();
    for n in 0..16 {
        ids.push(
            add(
                &pool,
                &form(&format!("Customer {n}"), "c@example.com", "0151 23456789"),
            )
            .await,
        );
    }
    let next_id = ids.last().unwrap() + 1;
    let blocker = *ids.iter().find(|id| *id % 16 == next_id % 16).unwrap();
    // an agent changes that issue (open -> in progress, same priority) and leaves the
    // transaction open, holding the counter rows it touched
    let mut agent = as_role(&pool, "caredesk_agent").await;
    sqlx::raw_sql("BEGIN").execute(&mut agent).await.unwrap();
    sqlx::query("UPDATE customer_care SET status = 'in-progress' WHERE id = $1")
        .bind(blocker)
        .execute(&mut agent)
        .await
        .unwrap();

    let mut intake = as_role(&pool, "caredesk_intake").await;
    let started = Instant::now();
    let report = issues::add(
        &mut intake,
        &new_issue(&form("Waiting Customer", "w@example.com", "0151 23456789")),
    )
    .await;
    let waited = started.elapsed();
    sqlx::raw_sql("ROLLBACK").execute(&mut agent).await.unwrap();
    assert_eq!(report.unwrap(), next_id, "the report went in");
    assert!(
        waited < Duration::from_secs(1),
        "a report waited {waited:?}"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_report_that_cannot_get_a_lock_gives_up_within_seconds(pool: PgPool) {
    // the owner's maintenance holds the whole table
    let mut owner = PgConnection::connect_with(&pool.connect_options())
        .await
        .unwrap();
    sqlx::raw_sql("BEGIN; LOCK TABLE customer_care IN EXCLUSIVE MODE")
        .execute(&mut owner)
        .await
        .unwrap();
    let mut intake = as_role(&pool, "caredesk_intake").await;
    let started = Instant::now();
    let report = issues::add(
        &mut intake,
        &new_issue(&form("Waiting Customer", "w@example.com", "0151 23456789")),
    )
    .await;
    let waited = started.elapsed();
    sqlx::raw_sql("ROLLBACK").execute(&mut owner).await.unwrap();
    assert!(matches!(report, Err(Error::Unavailable(_))), "{report:?}");
    assert!(
        waited < Duration::from_secs(5),
        "a report waited {waited:?}"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn agent_logins_get_time_and_connection_limits(pool: PgPool) {
    let login = AgentLogin::parse(&format!("t_limited_{}", std::process::id())).unwrap();
    role_ddl(&pool, format!("DROP ROLE IF EXISTS {}", login.as_str())).await;
    agents::create(
        &pool,
        &login,
        &Password::new("a long enough password"),
        false,
    )
    .await
    .unwrap();
    let (limit, settings): (i32, Vec<String>) = sqlx::query_as(
        "SELECT r.rolconnlimit, coalesce(s.setconfig, '{}')
           FROM pg_roles r LEFT JOIN pg_db_role_setting s ON s.setrole = r.oid AND s.setdatabase = 0
          WHERE r.rolname = $1",
    )
    .bind(login.as_str())
    .fetch_one(&pool)
    .await
    .unwrap();
    role_ddl(&pool, format!("DROP ROLE {}", login.as_str())).await;
    assert_eq!(limit, 10);
    for wanted in [
        "statement_timeout=30s",
        "lock_timeout=5s",
        "idle_in_transaction_session_timeout=30s",
    ] {
        assert!(
            settings.iter().any(|s| s == wanted),
            "{wanted} in {settings:?}"
        );
    }
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn the_public_services_login_gets_room_for_two_server_pools(pool: PgPool) {
    let web = login(&pool, "t_limited_web", "caredesk_intake").await;
    sqlx::query("SELECT caredesk_limit_login($1)")
        .bind(&web)
        .execute(&pool)
        .await
        .unwrap();
    let limit: i32 = sqlx::query_scalar("SELECT rolconnlimit FROM pg_roles WHERE rolname = $1")
        .bind(&web)
        .fetch_one(&pool)
        .await
        .unwrap();
    drop_login(&pool, &web).await;
    assert_eq!(
        limit, 40,
        "two servers pooling the default 10 each, and a restart"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn only_caredesk_roles_may_connect_to_its_database_or_make_temporary_tables(pool: PgPool) {
    let stranger = format!("t_stranger_{}", std::process::id());
    role_ddl(
        &pool,
        format!("DROP ROLE IF EXISTS {stranger}; CREATE ROLE {stranger} LOGIN"),
    )
    .await;
    let may = |role: &str, what: &str| {
        let pool = pool.clone();
        let (role, what) = (role.to_owned(), what.to_owned());
        async move {
            sqlx::query_scalar::<_, bool>(
                "SELECT has_database_privilege($1, current_database(), $2)",
            )
            .bind(role)
            .bind(what)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let stranger_connects = may(&stranger, "CONNECT").await;
    let stranger_temp = may(&stranger, "TEMPORARY").await;
    role_ddl(&pool, format!("DROP ROLE {stranger}")).await;
    assert!(
        !stranger_connects,
        "a login of another application connects"
    );
    assert!(
        !stranger_temp,
        "a login of another application makes temporary tables"
    );
    for role in ["caredesk_intake", "caredesk_agent", "caredesk_owner"] {
        assert!(may(role, "CONNECT").await, "{role} cannot connect");
        assert!(
            !may(role, "TEMPORARY").await,
            "{role} makes temporary tables"
        );
    }
}
