//! A password on its way to PostgreSQL: it cannot be printed by `Debug` or `Display`, so it
//! cannot reach a log by accident.

use std::fmt;

use serde::Deserialize;

#[derive(Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Password(String);

impl Password {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The text itself, for the one place that sends it (a connection or a SCRAM verifier).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// A fresh random password of letters and digits, far longer than the least allowed.
    pub fn generate() -> Self {
        use rand::Rng;
        Self(
            rand::rng()
                .sample_iter(&rand::distr::Alphanumeric)
                .take(GENERATED_PASSWORD_CHARS)
                .map(char::from)
                .collect(),
        )
    }
}

/// How long a generated password is.
pub const GENERATED_PASSWORD_CHARS: usize = 24;

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(hidden)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_password() {
        let password = Password::new("correct horse battery staple");
        assert_eq!(format!("{password:?}"), "Password(hidden)");
        assert_eq!(password.expose(), "correct horse battery staple");
    }
}
