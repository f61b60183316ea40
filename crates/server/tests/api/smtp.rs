//! A real SMTP server on loopback for the mail tests: `tests/smtp/smtp_sink.py` (aiosmtpd,
//! from the project's virtualenv), started per test, keeping each message it accepts.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    /// The SMTP login the mailer authenticated with, if it did.
    pub login: Option<String>,
    pub subject: String,
    /// The From header, decoded.
    pub from: String,
    pub text: String,
    pub html: String,
}

pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    child: Child,
    _stdin: ChildStdin,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A free port on loopback (closed again, for a server to take).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpSink {
    /// Starts the server on `port` with the sink's extra arguments (`--refuse ADDR`,
    /// `--tls CERT KEY`, `--auth USER PASS`).
    pub fn start(port: u16, extra: &[&str]) -> Self {
        let python = std::env::var("CAREDESK_TEST_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|_| repo_root().join(".caredesk/venv/bin/python"));
        let dir = std::env::temp_dir().join(format!("caredesk-smtp-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut child = Command::new(&python)
            .arg(repo_root().join("tests/smtp/smtp_sink.py"))
            .args(["--port", &port.to_string(), "--out"])
            .arg(&dir)
            .arg("--watch-stdin")
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{} (run scripts/setup.sh --for-tests): {e}",
                    python.display()
                )
            });
        let stdin = child.stdin.take().unwrap();
        let mut ready = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut ready)
            .unwrap();
        assert_eq!(ready.trim(), "ready", "the SMTP server did not start");
        Self {
            port,
            dir,
            child,
            _stdin: stdin,
        }
    }

    /// Every message received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut numbered: Vec<(u32, PathBuf)> = std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                    .filter_map(|p| Some((p.file_stem()?.to_str()?.parse().ok()?, p)))
                    .collect()
            })
            .unwrap_or_default();
        numbered.sort();
        numbered.into_iter().map(|(_, path)| read(&path)).collect()
    }

    /// Waits until at least `n` messages arrived (at most `within`), and returns them all.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let received = self.received();
            if received.len() >= n || started.elapsed() > within {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn read(path: &Path) -> Received {
    let raw = std::fs::read(path).unwrap();
    let envelope: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path.with_extension("json")).unwrap())
            .unwrap();
    let parsed = mailparse::parse_mail(&raw).unwrap();
    let part = |mime: &str| {
        parsed
            .subparts
            .iter()
            .find(|p| p.ctype.mimetype == mime)
            .map(|p| p.get_body().unwrap())
            .unwrap_or_default()
    };
    use mailparse::MailHeaderMap;
    Received {
        to: envelope["to"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect(),
        login: envelope["login"].as_str().map(str::to_owned),
        subject: parsed
            .headers
            .get_first_value("Subject")
            .unwrap_or_default(),
        from: parsed.headers.get_first_value("From").unwrap_or_default(),
        text: part("text/plain"),
        html: part("text/html"),
    }
}
