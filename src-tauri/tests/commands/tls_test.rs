//! Signing in across a network: the password goes only where the chosen security allows.
//! A fake server that refuses TLS and asks for the password in clear receives nothing; a
//! private cluster with its own CA lets the agent in with that CA, and refuses another CA
//! or a host name its certificate was not made for, each with its own message.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use caredesk_core::agents::{self, AgentLogin};
use caredesk_core::secret::Password;
use serde_json::{Value, json};

use crate::helpers::{PrivateCluster, TestApp};

const PASSWORD: &str = "the agent's secret password";

fn request(port: u16, host: &str, security: &str, ca_file: Option<&Path>) -> Value {
    json!({"request": {
        "host": host, "port": port, "database": "caredesk", "user": "amina",
        "password": PASSWORD, "remember": false, "security": security,
        "ca_file": ca_file.map(|p| p.display().to_string())
    }})
}

/// A PostgreSQL impostor on loopback: answers "no" to TLS, asks for the password in clear,
/// and keeps every byte it is sent after the TLS request.
fn impostor() -> (u16, Arc<Mutex<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = log.clone();
            std::thread::spawn(move || serve_as_impostor(stream, &log));
        }
    });
    (port, received)
}

fn serve_as_impostor(mut stream: TcpStream, log: &Mutex<Vec<u8>>) {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let message = |stream: &mut TcpStream| -> Option<Vec<u8>> {
        let mut length = [0u8; 4];
        stream.read_exact(&mut length).ok()?;
        let mut body = vec![0u8; (u32::from_be_bytes(length) as usize).saturating_sub(4)];
        stream.read_exact(&mut body).ok()?;
        Some(body)
    };
    let Some(first) = message(&mut stream) else {
        return;
    };
    let startup = if first == [0x04, 0xd2, 0x16, 0x2f] {
        // SSLRequest: "N", no TLS here; a client that goes on sends its startup message
        if stream.write_all(b"N").is_err() {
            return;
        }
        match message(&mut stream) {
            Some(startup) => startup,
            None => return,
        }
    } else {
        first
    };
    // whatever the client sends from here (its startup, a password) is what an impostor gets
    let mut rest = startup;
    // AuthenticationCleartextPassword
    let _ = stream.write_all(&[b'R', 0, 0, 0, 8, 0, 0, 0, 3]);
    let mut buffer = [0u8; 1024];
    while let Ok(n) = stream.read(&mut buffer) {
        if n == 0 {
            break;
        }
        rest.extend_from_slice(&buffer[..n]);
        if contains_password(&rest) {
            break;
        }
    }
    log.lock().unwrap().extend_from_slice(&rest);
}

fn contains_password(bytes: &[u8]) -> bool {
    bytes
        .windows(PASSWORD.len())
        .any(|w| w == PASSWORD.as_bytes())
}

#[test]
fn a_server_without_tls_never_gets_the_password() {
    let (port, received) = impostor();
    let app = TestApp::new();
    for security in ["verified", "encrypted"] {
        let refused = app
            .call("sign_in", request(port, "127.0.0.1", security, None))
            .expect_err("no TLS, no sign-in");
        assert_eq!(refused["kind"], "no_encryption", "{security}: {refused}");
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("password was not sent"),
            "{refused}"
        );
    }
    assert!(
        !contains_password(&received.lock().unwrap()),
        "the impostor got the password"
    );
    // the impostor does catch a password sent without TLS (allowed on this computer only):
    // the check above could have failed
    let _ = app.call("sign_in", request(port, "127.0.0.1", "none", None));
    assert!(contains_password(&received.lock().unwrap()));
    // and no TLS at all is refused outright for another computer
    let remote = app
        .call("sign_in", request(port, "db.example.com", "none", None))
        .expect_err("none for a remote host");
    assert_eq!(remote["kind"], "invalid");
    assert!(remote["fields"]["security"].is_array(), "{remote}");
}

#[tokio::test(flavor = "multi_thread")]
async fn over_tls_the_right_ca_lets_the_agent_in_and_anything_else_is_named() {
    // the recipe ./run.sh uses, listening on 127.0.0.2 too (a name its certificate lacks)
    let cluster = PrivateCluster::start("app", "127.0.0.1,127.0.0.2", None);
    let owner = cluster.caredesk().await;
    agents::create(
        &owner,
        &AgentLogin::parse("amina").unwrap(),
        &Password::new(PASSWORD),
        false,
    )
    .await
    .unwrap();
    let other_ca = cluster.dir.join("other-ca.crt");
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=Somebody else's CA", "-keyout"])
        .arg(cluster.dir.join("other-ca.key"))
        .arg("-out")
        .arg(&other_ca)
        .output()
        .unwrap();
    assert!(made.status.success());

    let app = TestApp::new();
    let port = cluster.port;
    let verified = app.call(
        "sign_in",
        request(port, "127.0.0.1", "verified", Some(&cluster.ca_file())),
    );
    // the signed-in desktop's connections (its pool and its listener) are all TLS
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (plain, all): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE NOT ssl), count(*)
           FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE usename = 'amina'",
    )
    .fetch_one(&owner)
    .await
    .unwrap();
    let _ = app.call("sign_out", json!({}));
    let untrusted = app.call(
        "sign_in",
        request(port, "127.0.0.1", "verified", Some(&other_ca)),
    );
    let wrong_name = app.call(
        "sign_in",
        request(port, "127.0.0.2", "verified", Some(&cluster.ca_file())),
    );
    let encrypted = app.call("sign_in", request(port, "127.0.0.2", "encrypted", None));
    let _ = app.call("sign_out", json!({}));
    drop(app);
    owner.close().await;

    assert_eq!(
        verified.expect("verified with the cluster's CA")["user"],
        "amina"
    );
    let untrusted = untrusted.expect_err("another CA");
    assert_eq!(untrusted["kind"], "untrusted_certificate", "{untrusted}");
    let wrong_name = wrong_name.expect_err("a name the certificate does not have");
    assert_eq!(wrong_name["kind"], "wrong_server_name", "{wrong_name}");
    assert!(
        wrong_name["message"]
            .as_str()
            .unwrap()
            .contains("127.0.0.2")
    );
    assert_eq!(
        encrypted.expect("encrypted without a check")["user"],
        "amina"
    );
    assert!(
        all > 0 && plain == 0,
        "{plain} of {all} connections without TLS"
    );
}
