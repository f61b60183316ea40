//! Why a secured connection was refused, in words an agent can act on. In each case sqlx
//! stopped before the server could ask for the password, so the messages can say that it
//! was not sent.

use crate::error::{CommandError, ErrorKind};
use crate::settings::RememberedLogin;

/// What the TLS check found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The server does not offer TLS at all.
    NoEncryption,
    /// The certificate is for another name than the host the agent typed.
    WrongName,
    /// The certificate is signed by a CA neither the system nor the CA file vouches for.
    UnknownCa,
    /// Any other certificate problem (expired, malformed, …).
    Rejected(String),
}

/// sqlx's words when the server answers the TLS request with "no".
const NO_TLS: &str = "server does not support TLS";

/// The refusal behind a connection error, if it is one.
pub fn refusal(error: &sqlx::Error) -> Option<Refusal> {
    let cause: &(dyn std::error::Error + 'static) = match error {
        sqlx::Error::Tls(inner) if inner.to_string() == NO_TLS => {
            return Some(Refusal::NoEncryption);
        }
        sqlx::Error::Tls(inner) => inner.as_ref(),
        // rustls reports a failed handshake through the socket, as an I/O error
        sqlx::Error::Io(io) => io.get_ref()?,
        _ => return None,
    };
    let rustls::Error::InvalidCertificate(problem) = cause.downcast_ref::<rustls::Error>()? else {
        return Some(Refusal::Rejected(cause.to_string()));
    };
    Some(match problem {
        rustls::CertificateError::NotValidForName
        | rustls::CertificateError::NotValidForNameContext { .. } => Refusal::WrongName,
        rustls::CertificateError::UnknownIssuer => Refusal::UnknownCa,
        other => Refusal::Rejected(format!("{other:?}")),
    })
}

/// The agent's message for a refused secured connection.
pub fn explain(login: &RememberedLogin, error: &sqlx::Error) -> CommandError {
    let not_sent = "so your password was not sent";
    match refusal(error).unwrap_or_else(|| Refusal::Rejected(error.to_string())) {
        Refusal::NoEncryption => CommandError::new(
            ErrorKind::NoEncryption,
            format!(
                "The server at {}:{} does not offer an encrypted connection, {not_sent}. Ask your database admin to turn on TLS (only for a database on this computer may you choose \"Not encrypted\").",
                login.host, login.port
            ),
        ),
        Refusal::WrongName => CommandError::new(
            ErrorKind::WrongServerName,
            format!(
                "The server's certificate is not made out to \"{}\": it may not be your database server, {not_sent}. Use the name the certificate was made for, or ask your admin.",
                login.host
            ),
        ),
        Refusal::UnknownCa => CommandError::new(
            ErrorKind::UntrustedCertificate,
            format!(
                "The server's certificate is signed by a CA this computer does not trust, {not_sent}. Choose the CA file your database admin gave you."
            ),
        ),
        Refusal::Rejected(why) => CommandError::new(
            ErrorKind::UntrustedCertificate,
            format!("The server's certificate was not accepted ({why}), {not_sent}."),
        ),
    }
}
