//! Signing in and out, and the silent sign-in with a remembered password.

use tauri::{AppHandle, Runtime};

use crate::error::{CommandError, ErrorKind};
use crate::file_dialog::Ask;
use crate::listener;
use crate::reminders;
use crate::secrets;
use crate::session::{self, Agent, Session, SignInRequest};
use crate::settings::{self, ConnectionChoices, ConnectionSecurity, RememberedLogin};

pub async fn sign_in<R: Runtime>(
    app: &AppHandle<R>,
    request: SignInRequest,
) -> Result<Agent, CommandError> {
    let login = request.login();
    let started = std::time::Instant::now();
    let session = session::connect(&login, &request.password).await?;
    tracing::debug!(
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "connected and checked the role"
    );
    let mut prefs = settings::load(app)?;
    prefs.last_host = login.host.clone();
    prefs.last_port = login.port;
    prefs.last_database = login.database.clone();
    prefs.last_user = login.user.clone();
    prefs.last_security = login.security;
    prefs.last_ca_file = login.ca_file.clone();
    settings::save(app, &prefs)?;
    if request.remember {
        secrets::store(&login.account(), &request.password).map_err(|e| {
            CommandError::new(
                ErrorKind::Internal,
                format!("Signed in, but could not remember the password: {e}"),
            )
        })?;
        settings::set_remembered(app, Some(&login))?;
    } else {
        forget(app)?;
    }
    Ok(start(app, session).await)
}

/// Signs in with the remembered login, if any; `None` shows the sign-in screen. A
/// remembered password that no longer works is forgotten.
pub async fn resume_session<R: Runtime>(app: &AppHandle<R>) -> Result<Option<Agent>, CommandError> {
    if let Ok(agent) = session::state(app).agent().await {
        return Ok(Some(agent));
    }
    let Some(login) = settings::remembered(app)? else {
        return Ok(None);
    };
    let password = match secrets::load(&login.account()) {
        Ok(Some(password)) => password,
        Ok(None) => return Ok(None),
        Err(error) => {
            tracing::warn!(%error, "cannot read the remembered password");
            return Ok(None);
        }
    };
    match session::connect(&login, &password).await {
        Ok(session) => Ok(Some(start(app, session).await)),
        Err(error) if matches!(error.kind, ErrorKind::WrongPassword | ErrorKind::NotAnAgent) => {
            forget(app)?;
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// How the sign-in form may secure a connection to `host`, as the agent types it.
pub async fn connection_choices<R: Runtime>(
    _app: &AppHandle<R>,
    host: String,
) -> Result<ConnectionChoices, CommandError> {
    Ok(ConnectionSecurity::choices_for(&host))
}

/// The CA file of the database's certificate, picked in the system's file dialog (the
/// sign-in form also takes a typed path); `None` when the agent closes the dialog.
pub async fn choose_ca_file<R: Runtime>(
    app: &AppHandle<R>,
) -> Result<Option<String>, CommandError> {
    let ask = Ask {
        title: "The CA certificate your admin gave you",
        filter: ("Certificates", &["crt", "pem", "cer"]),
        unusable: "That file cannot be used as a CA file",
    };
    Ok(ask.open(app).await?.map(|path| path.display().to_string()))
}

pub async fn sign_out<R: Runtime>(app: &AppHandle<R>) -> Result<(), CommandError> {
    let session = session::state(app).0.write().await.take();
    if let Some(session) = session {
        session.pool.close().await;
    }
    forget(app)
}

async fn start<R: Runtime>(app: &AppHandle<R>, mut session: Session) -> Agent {
    let agent = session.agent.clone();
    // the team list's "last seen"; signing in does not depend on it
    if let Err(error) = caredesk_core::agents::seen(&session.pool).await {
        tracing::warn!(%error, "could not note the sign-in for the team list");
    }
    // one task, aborted at sign-out: the live connection and the reminder clock
    let listening = tokio::spawn({
        let (app, pool) = (app.clone(), session.pool.clone());
        async move {
            tokio::join!(
                listener::run(app.clone(), pool.clone()),
                reminders::run(app, pool)
            );
        }
    });
    session.attach_listener(listening);
    if let Some(previous) = session::state(app).0.write().await.replace(session) {
        previous.pool.close().await;
    }
    tracing::info!(user = %agent.user, "signed in");
    agent
}

fn forget<R: Runtime>(app: &AppHandle<R>) -> Result<(), CommandError> {
    if let Some(login) = settings::remembered(app)? {
        if let Err(error) = secrets::forget(&login.account()) {
            tracing::warn!(%error, "could not remove the remembered password");
        }
        settings::set_remembered(app, None::<&RememberedLogin>)?;
    }
    Ok(())
}
