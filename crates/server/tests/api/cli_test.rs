//! The `caredesk-server` binary's owner commands: `migrate`, `agent …`, `customer …`, backup.

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

fn run_with(options: &sqlx::postgres::PgConnectOptions, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caredesk-server"))
        .args(args)
        .env(
            "DATABASE_URL",
            format!(
                "postgres://{}@{}:{}/{}",
                options.get_username(),
                options.get_host(),
                options.get_port(),
                options.get_database().unwrap_or_default()
            ),
        )
        .output()
        .unwrap()
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
    caredesk_core::agents::role_ddl(pool, &format!("DROP ROLE IF EXISTS \"{login}\""))
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
    // and the example shop profile's facts are the database's
    let (name, order_link): (String, Option<String>) =
        sqlx::query_as("SELECT name, order_link FROM caredesk_shop")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(name, "Lumen & Loom");
    assert_eq!(
        order_link.as_deref(),
        Some("https://lumen-loom.example/admin/orders/{order_id}")
    );
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

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn agent_list_disable_enable_reset_password_and_remove_manage_the_team(pool: PgPool) {
    let login = format!("t_cli_team_{}", std::process::id());
    let text = |output: &Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    };
    let can_log_in = |pool: PgPool, login: String| async move {
        sqlx::query_scalar::<_, bool>("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1")
            .bind(login)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let added = run(
        &pool,
        &["agent", "add", &login],
        Some("a long enough password\n"),
    );
    assert!(added.status.success(), "{}", text(&added));

    let list = run(&pool, &["agent", "list"], None);
    let listed = text(&list);
    let row = listed
        .lines()
        .find(|l| l.starts_with(&login))
        .unwrap_or_default()
        .to_owned();
    let disabled = run(&pool, &["agent", "disable", &login], None);
    let after_disable = can_log_in(pool.clone(), login.clone()).await;
    let enabled = run(&pool, &["agent", "enable", &login], None);
    let after_enable = can_log_in(pool.clone(), login.clone()).await;
    let reset = run(&pool, &["agent", "reset-password", &login], None);
    let outsider = run(&pool, &["agent", "disable", "postgres"], None);
    let not_ours = run(&pool, &["agent", "disable", "t_nobody_at_all"], None);
    let removed = run(&pool, &["agent", "remove", &login], None);
    let still_there: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
            .bind(&login)
            .fetch_one(&pool)
            .await
            .unwrap();
    if still_there {
        drop_login(&pool, &login).await;
    }

    assert!(
        list.status.success() && listed.starts_with("LOGIN"),
        "{listed}"
    );
    assert!(
        row.contains(" no ") && row.contains("yes") && row.contains("never"),
        "{row}"
    );
    assert!(
        disabled.status.success() && !after_disable,
        "{}",
        text(&disabled)
    );
    assert!(
        enabled.status.success() && after_enable,
        "{}",
        text(&enabled)
    );
    assert!(
        reset.status.success() && text(&reset).contains("Password (shown only now"),
        "{}",
        text(&reset)
    );
    assert!(
        !outsider.status.success() && text(&outsider).contains("reserved"),
        "{}",
        text(&outsider)
    );
    assert!(
        !not_ours.status.success() && text(&not_ours).contains("is not a CareDesk agent"),
        "{}",
        text(&not_ours)
    );
    assert!(
        removed.status.success() && !still_there,
        "{}",
        text(&removed)
    );
}

/// What a backup must bring back: the rows, the timeline, the counters, the grants.
async fn snapshot(pool: &PgPool) -> (Vec<String>, Vec<String>, Vec<String>, Vec<String>) {
    let text = |sql: &'static str| async move {
        sqlx::query_scalar::<_, String>(sql)
            .fetch_all(pool)
            .await
            .unwrap()
    };
    (
        text("SELECT row_to_json(c)::text FROM customer_care c ORDER BY id").await,
        text("SELECT concat_ws(' ', issue_id, at, actor, kind, detail) FROM customer_care_event ORDER BY id").await,
        text("SELECT concat_ws(' ', slot, status, priority, issues) FROM customer_care_count WHERE issues <> 0 ORDER BY 1").await,
        text(
            "SELECT concat_ws(' ', table_name, grantee, privilege_type) FROM information_schema.table_privileges
              WHERE table_schema = 'public' AND grantee LIKE 'caredesk%' ORDER BY 1",
        )
        .await,
    )
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn backup_and_restore_bring_everything_back_and_keep_what_they_replace(pool: PgPool) {
    use caredesk_core::db::{IssueUpdate, issues};
    use caredesk_core::domain::{PhoneRegion, Response, Status};
    use caredesk_core::report::{NewIssue, ReportForm};

    let region = PhoneRegion::parse("DE").unwrap();
    for n in 0..5 {
        let form = ReportForm {
            name: Some(format!("Customer {n}")),
            email: Some(format!("c{n}@example.com")),
            phone: Some("0151 23456789".into()),
            issue_type: Some("damaged".into()),
            description: Some("The box arrived crushed.".into()),
            ..Default::default()
        };
        let id = issues::add(&pool, &NewIssue::parse(&form, region).unwrap())
            .await
            .unwrap();
        if n % 2 == 0 {
            let mut conn = pool.acquire().await.unwrap();
            let seen = issues::get_by_id(&mut *conn, id).await.unwrap().updated_at;
            let change = IssueUpdate {
                seen,
                status: Some(Status::Resolved),
                priority: None,
                response: Some(Response::parse("A new one is on its way.").unwrap()),
                email: false,
            };
            issues::update(&mut conn, id, &change).await.unwrap();
        }
    }
    let agent = format!("t_restored_{}", std::process::id());
    let added = run(
        &pool,
        &["agent", "add", &agent],
        Some("a long enough password\n"),
    );
    assert!(added.status.success());
    let before = snapshot(&pool).await;
    let file = std::env::temp_dir().join(format!("caredesk-backup-{}.dump", std::process::id()));

    let backed_up = run(&pool, &["backup", &file.display().to_string()], None);
    assert!(
        backed_up.status.success(),
        "{}",
        String::from_utf8_lossy(&backed_up.stderr)
    );
    // a mistake
    sqlx::raw_sql(
        "ALTER TABLE customer_care DISABLE TRIGGER USER; DELETE FROM customer_care;
         ALTER TABLE customer_care ENABLE TRIGGER USER; DELETE FROM customer_care_event;",
    )
    .execute(&pool)
    .await
    .unwrap();
    let options = pool.connect_options().as_ref().clone();
    pool.close().await;

    let restored = run_with(&options, &["restore", &file.display().to_string()]);
    let stdout = String::from_utf8_lossy(&restored.stdout).into_owned();
    let _ = std::fs::remove_file(&file);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let kept = stdout
        .split('"')
        .nth(1)
        .expect("the replaced database's name")
        .to_owned();

    let pool = sqlx::PgPool::connect_with(options.clone()).await.unwrap();
    let after = snapshot(&pool).await;
    // the agent signs in to the restored database as before
    let as_agent = sqlx::PgPool::connect_with(options.clone().username(&agent))
        .await
        .map(|agent_pool| async move {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM customer_care")
                .fetch_one(&agent_pool)
                .await
        });
    let agent_sees = match as_agent {
        Ok(query) => query.await.ok(),
        Err(_) => None,
    };
    let kept_rows: Option<i64> = {
        let kept_pool = sqlx::PgPool::connect_with(options.clone().database(&kept))
            .await
            .unwrap();
        let rows = sqlx::query_scalar("SELECT count(*) FROM customer_care")
            .fetch_one(&kept_pool)
            .await
            .ok();
        kept_pool.close().await;
        rows
    };
    sqlx::query(AssertSqlSafe(format!("DROP DATABASE \"{kept}\"")))
        .execute(&pool)
        .await
        .unwrap();
    drop_login(&pool, &agent).await;

    assert_eq!(after.0, before.0, "issues");
    assert_eq!(after.1, before.1, "timeline");
    assert_eq!(after.2, before.2, "counters");
    assert_eq!(after.3, before.3, "grants");
    assert_eq!(before.0.len(), 5);
    assert_eq!(
        agent_sees,
        Some(5),
        "the agent signs in and reads the issues"
    );
    assert_eq!(kept_rows, Some(0), "what was replaced is kept, as it was");
}

#[sqlx::test(migrator = "caredesk_core::MIGRATOR")]
async fn customer_export_writes_the_file_and_erase_asks_for_yes_then_forgets(pool: PgPool) {
    use caredesk_core::db::issues;
    use caredesk_core::domain::PhoneRegion;
    use caredesk_core::report::{NewIssue, ReportForm};

    let region = PhoneRegion::parse("DE").unwrap();
    let form = ReportForm {
        name: Some("Greta Geheim".into()),
        email: Some("greta@example.com".into()),
        phone: Some("0151 24681357".into()),
        issue_type: Some("refund".into()),
        description: Some("Refund for order GG-1, please.".into()),
        ..Default::default()
    };
    let id = issues::add(&pool, &NewIssue::parse(&form, region).unwrap())
        .await
        .unwrap();
    let file =
        std::env::temp_dir().join(format!("caredesk-export-{}-{id}.json", std::process::id()));

    let exported = run(
        &pool,
        &[
            "customer",
            "export",
            "0151 24681357",
            "--file",
            file.to_str().unwrap(),
        ],
        None,
    );
    let written = std::fs::read_to_string(&file).unwrap_or_default();
    let _ = std::fs::remove_file(&file);
    let unconfirmed = run(&pool, &["customer", "erase", "greta@example.com"], None);
    let still_there = issues::get_by_id(&pool, id).await.is_ok();
    let bad = run(&pool, &["customer", "erase", "not a phone", "--yes"], None);
    let erased = run(
        &pool,
        &["customer", "erase", "GRETA@example.com", "--yes"],
        None,
    );
    let gone = issues::get_by_id(&pool, id).await.is_err();

    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(json["issues"][0]["name"], "Greta Geheim");
    assert_eq!(json["matched_by"], "phone");
    assert!(
        !unconfirmed.status.success()
            && String::from_utf8_lossy(&unconfirmed.stderr).contains("--yes")
            && still_there,
        "without --yes nothing is erased"
    );
    assert!(
        !bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("customer"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    assert!(
        erased.status.success()
            && String::from_utf8_lossy(&erased.stdout).contains("erased 1 issue"),
        "{}",
        String::from_utf8_lossy(&erased.stderr)
    );
    assert!(gone);
}
