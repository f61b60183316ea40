//! Signing in: each failure has its own kind; only agents get in.

use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{TestApp, agent_login, drop_login};

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_agent_signs_in_and_an_admin_is_known_as_one(pool: PgPool) {
    let (agent, admin) = (
        agent_login(&pool, "t_desk_agent", false).await,
        agent_login(&pool, "t_desk_admin", true).await,
    );
    let app = TestApp::new();
    let as_agent = app.sign_in(&pool, &agent);
    let as_admin = app.sign_in(&pool, &admin);
    let signed_out = app.call("sign_out", json!({}));
    let after_sign_out = app.call("view_counts", json!({}));
    drop(app);
    drop_login(&pool, &agent).await;
    drop_login(&pool, &admin).await;

    let as_agent = as_agent.expect("agent signs in");
    assert_eq!(as_agent["user"], agent.as_str());
    assert_eq!(as_agent["is_admin"], false);
    assert_eq!(as_admin.expect("admin signs in")["is_admin"], true);
    assert!(signed_out.is_ok());
    assert_eq!(
        after_sign_out.expect_err("signed out")["kind"],
        "not_signed_in"
    );
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn a_login_without_the_agent_role_is_told_so(pool: PgPool) {
    let login = format!("t_not_agent_{}", std::process::id());
    drop_login(&pool, &login).await;
    caredesk_core::agents::role_ddl(&pool, &format!("CREATE ROLE {login} LOGIN"))
        .await
        .unwrap();
    let app = TestApp::new();
    let result = app.sign_in(&pool, &login);
    drop(app);
    drop_login(&pool, &login).await;
    let error = result.expect_err("not an agent");
    assert_eq!(error["kind"], "not_an_agent");
    assert!(error["message"].as_str().unwrap().contains("agent add"));
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn an_unknown_login_an_unreachable_server_and_blank_fields_each_get_their_message(
    pool: PgPool,
) {
    let app = TestApp::new();
    let unknown = app
        .sign_in(&pool, "t_nobody_by_that_name")
        .expect_err("unknown login");
    assert_eq!(unknown["kind"], "wrong_password");

    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = app
        .call(
            "sign_in",
            json!({"request": {"host": "127.0.0.1", "port": closed_port, "database": "caredesk",
                               "user": "amina", "password": "secret-password-123", "remember": false, "security": "none"}}),
        )
        .expect_err("unreachable");
    assert_eq!(unreachable["kind"], "unreachable");
    assert!(
        !unreachable.to_string().contains("secret-password-123"),
        "no password in errors"
    );

    let blank = app
        .call(
            "sign_in",
            json!({"request": {"host": " ", "port": 5432, "database": "", "user": "", "password": "", "remember": false, "security": "none"}}),
        )
        .expect_err("blank");
    assert_eq!(blank["kind"], "invalid");
    for field in ["host", "database", "user", "password"] {
        assert!(
            blank["fields"][field].is_array(),
            "{field} missing in {blank}"
        );
    }
}
