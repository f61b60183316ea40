//! The team through the database's functions: only admins manage it, only CareDesk logins
//! can be managed, an admin cannot lock themselves out, passwords travel as verifiers.

use caredesk_core::Error;
use caredesk_core::agents::{self, AgentLogin};
use caredesk_core::secret::Password;
use sqlx::{Connection, PgPool};

use crate::helpers::{add_simple, connect_as, drop_login, login, role_ddl};

fn name(login: &str) -> AgentLogin {
    AgentLogin::parse(login).unwrap()
}

fn password() -> Password {
    Password::new("a long enough password")
}

async fn verifier_of(pool: &PgPool, login: &str) -> Option<String> {
    sqlx::query_scalar("SELECT rolpassword FROM pg_authid WHERE rolname = $1")
        .bind(login)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn can_log_in(pool: &PgPool, login: &str) -> bool {
    sqlx::query_scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1")
        .bind(login)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_admin_adds_disables_enables_and_resets_an_agent_and_no_one_else_may(pool: PgPool) {
    let boss = login(&pool, "t_team_boss", "caredesk_admin").await;
    let amina = login(&pool, "t_team_amina", "caredesk_agent").await;
    let newbie = format!("t_team_new_{}", std::process::id());
    let mut as_boss = connect_as(&pool, &boss).await;
    let mut as_amina = connect_as(&pool, &amina).await;

    agents::create(&mut as_boss, &name(&newbie), &password(), false)
        .await
        .unwrap();
    let team = agents::team(&mut as_boss).await.unwrap();
    let member = team.iter().find(|m| m.login == newbie).unwrap();
    assert!(member.enabled && !member.is_admin && member.last_seen_at.is_none());
    assert!(team.iter().any(|m| m.login == boss && m.is_admin));
    assert!(
        !team
            .iter()
            .any(|m| m.login == "postgres" || m.login.starts_with("caredesk_"))
    );
    assert!(
        verifier_of(&pool, &newbie)
            .await
            .unwrap()
            .starts_with("SCRAM-SHA-256$"),
        "only a verifier reached the database"
    );

    // a plain agent may not see or change the team
    for refused in [
        agents::team(&mut as_amina).await.map(|_| ()),
        agents::create(&mut as_amina, &name("t_team_sneaky"), &password(), true).await,
        agents::set_enabled(&mut as_amina, &name(&newbie), false).await,
        agents::set_admin(&mut as_amina, &name(&amina), true).await,
    ] {
        assert!(
            matches!(refused, Err(Error::PermissionDenied(_))),
            "{refused:?}"
        );
    }

    // disabling ends the login's open sessions and keeps it from signing in again
    let mut as_newbie = connect_as(&pool, &newbie).await;
    agents::set_enabled(&mut as_boss, &name(&newbie), false)
        .await
        .unwrap();
    assert!(!can_log_in(&pool, &newbie).await);
    assert!(
        sqlx::query("SELECT 1")
            .execute(&mut as_newbie)
            .await
            .is_err(),
        "its session ended"
    );
    let refused = sqlx::PgConnection::connect_with(
        &pool.connect_options().as_ref().clone().username(&newbie),
    )
    .await
    .unwrap_err();
    assert!(
        refused.to_string().contains("not permitted to log in"),
        "{refused}"
    );
    let member = agents::team(&mut as_boss)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.login == newbie)
        .unwrap();
    assert!(!member.enabled, "a disabled login stays on the team");
    agents::set_enabled(&mut as_boss, &name(&newbie), true)
        .await
        .unwrap();
    assert!(can_log_in(&pool, &newbie).await);

    let before = verifier_of(&pool, &newbie).await;
    agents::reset_password(
        &mut as_boss,
        &name(&newbie),
        &Password::new("another long password"),
    )
    .await
    .unwrap();
    assert_ne!(verifier_of(&pool, &newbie).await, before);
    let short = agents::reset_password(&mut as_boss, &name(&newbie), &Password::new("short"))
        .await
        .unwrap_err();
    assert!(
        matches!(short, Error::Invalid(ref e) if e.get("password").is_some()),
        "{short:?}"
    );

    drop((as_boss, as_amina, as_newbie));
    for login in [&newbie, &amina, &boss] {
        drop_login(&pool, login).await;
    }
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn only_caredesk_logins_are_managed_and_an_admin_cannot_lock_themselves_out(pool: PgPool) {
    let boss = login(&pool, "t_lock_boss", "caredesk_admin").await;
    let outsider = format!("t_lock_other_app_{}", std::process::id());
    role_ddl(
        &pool,
        format!("DROP ROLE IF EXISTS {outsider}; CREATE ROLE {outsider} LOGIN"),
    )
    .await;
    let mut as_boss = connect_as(&pool, &boss).await;

    let not_ours = agents::set_enabled(&mut as_boss, &name(&outsider), false)
        .await
        .unwrap_err();
    assert!(
        not_ours.to_string().contains("is not a CareDesk agent"),
        "{not_ours}"
    );
    assert!(
        can_log_in(&pool, &outsider).await,
        "another application's login is untouched"
    );
    for call in [
        "SELECT caredesk_set_agent_enabled('postgres', false)",
        "SELECT caredesk_reset_password('postgres', 'SCRAM-SHA-256$4096:x')",
        "SELECT caredesk_set_agent_admin('caredesk_owner', true)",
        "SELECT caredesk_add_agent('pg_evil', 'SCRAM-SHA-256$4096:x', true)",
    ] {
        assert!(
            sqlx::query(call).execute(&mut as_boss).await.is_err(),
            "{call}"
        );
    }
    let password_in_clear =
        sqlx::query("SELECT caredesk_add_agent('t_lock_clear', 'hunter2hunter2', false)")
            .execute(&mut as_boss)
            .await
            .unwrap_err();
    assert!(
        password_in_clear.to_string().contains("SCRAM-SHA-256"),
        "{password_in_clear}"
    );

    for own in [
        agents::set_enabled(&mut as_boss, &name(&boss), false).await,
        agents::set_admin(&mut as_boss, &name(&boss), false).await,
    ] {
        let Err(Error::PermissionDenied(why)) = own else {
            panic!("an admin changed their own login: {own:?}")
        };
        assert!(why.contains("ask another admin"), "{why}");
    }
    assert!(can_log_in(&pool, &boss).await);

    // granted and taken back: an admin made as one stays an agent
    let second = login(&pool, "t_lock_second", "caredesk_admin").await;
    agents::set_admin(&mut as_boss, &name(&second), false)
        .await
        .unwrap();
    let member = agents::team(&mut as_boss)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.login == second)
        .unwrap();
    assert!(!member.is_admin, "no longer an admin");
    agents::set_admin(&mut as_boss, &name(&second), true)
        .await
        .unwrap();
    assert!(
        agents::team(&mut as_boss)
            .await
            .unwrap()
            .iter()
            .any(|m| m.login == second && m.is_admin)
    );

    drop(as_boss);
    role_ddl(&pool, format!("DROP ROLE {outsider}")).await;
    drop_login(&pool, &second).await;
    drop_login(&pool, &boss).await;
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_agent_changes_their_own_password_is_seen_and_a_removed_login_owns_nothing(
    pool: PgPool,
) {
    let amina = login(&pool, "t_own_amina", "caredesk_agent").await;
    let boss = login(&pool, "t_own_boss", "caredesk_admin").await;
    let mut as_amina = connect_as(&pool, &amina).await;

    let before = verifier_of(&pool, &amina).await;
    let short = agents::change_own_password(&mut as_amina, &Password::new("too short"))
        .await
        .unwrap_err();
    assert!(matches!(short, Error::Invalid(_)), "{short:?}");
    assert_eq!(verifier_of(&pool, &amina).await, before, "nothing changed");
    agents::change_own_password(&mut as_amina, &password())
        .await
        .unwrap();
    let after = verifier_of(&pool, &amina).await.unwrap();
    assert!(after.starts_with("SCRAM-SHA-256$") && Some(&after) != before.as_ref());

    agents::seen(&mut as_amina).await.unwrap();
    let mut as_boss = connect_as(&pool, &boss).await;
    let seen = agents::team(&mut as_boss)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.login == amina)
        .unwrap();
    assert!(seen.last_seen_at.is_some());

    // removed from the command line (the owner): the issue it owned is nobody's
    let id = add_simple(&pool, "Owned Issue").await;
    sqlx::query("UPDATE customer_care SET owner = $1 WHERE id = $2")
        .bind(&amina)
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    drop(as_amina);
    agents::remove(&pool, &name(&amina)).await.unwrap();
    let owner: Option<String> = sqlx::query_scalar("SELECT owner FROM customer_care WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(owner, None);
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
            .bind(&amina)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!exists);
    drop(as_boss);
    drop_login(&pool, &boss).await;
}
