//! The `caredesk-server` binary's owner commands: `migrate` and `agent add`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use sqlx::{AssertSqlSafe, PgPool};

fn database_url(pool: &PgPool) -> String {
    let options = pool.connect_options();
    format!(
        "postgres://{}@{}:{}/{}",
        options.get_username(),
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or_default()
    )
}

fn run(pool: &PgPool, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_caredesk-server"))
        .args(args)
        .env("DATABASE_URL", database_url(pool))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

async fn drop_login(pool: &PgPool, login: &str) {
    sqlx::query(AssertSqlSafe(format!("DROP ROLE IF EXISTS \"{login}\"")))
        .execute(pool)
        .await
        .unwrap();
}

#[sqlx::test(migrations = false)]
async fn migrate_creates_the_schema_and_is_idempotent(pool: PgPool) {
    for _ in 0..2 {
        let output = run(&pool, &["migrate"], None);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_tables WHERE tablename IN ('customer_care', 'customer_care_event')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(tables, 2);
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn agent_add_uses_a_password_from_stdin_or_prints_a_generated_one(pool: PgPool) {
    let pid = std::process::id();
    let (given, generated) = (format!("t_given_{pid}"), format!("t_generated_{pid}"));

    let output = run(
        &pool,
        &["agent", "add", &given, "--admin"],
        Some("a long enough password\n"),
    );
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let given_ok = output.status.success() && !stdout.contains("a long enough password");

    let output = run(&pool, &["agent", "add", &generated], None);
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    let generated_ok = output.status.success() && printed.contains("Password (shown only now");

    let duplicate = run(
        &pool,
        &["agent", "add", &generated],
        Some("another long password"),
    );
    let bad_name = run(&pool, &["agent", "add", "Bad Name"], None);
    let roles: (bool, bool) = sqlx::query_as(
        "SELECT pg_has_role($1, 'caredesk_admin', 'MEMBER'), pg_has_role($2, 'caredesk_admin', 'MEMBER')",
    )
    .bind(&given)
    .bind(&generated)
    .fetch_one(&pool)
    .await
    .unwrap();
    drop_login(&pool, &given).await;
    drop_login(&pool, &generated).await;

    assert!(given_ok, "{stdout}");
    assert!(generated_ok, "{printed}");
    assert_eq!(
        roles,
        (true, false),
        "--admin makes an admin, its absence an agent"
    );
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));
    assert!(!bad_name.status.success());
    assert!(String::from_utf8_lossy(&bad_name.stderr).contains("login"));
}
