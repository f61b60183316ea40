//! The only place passwords are kept: the OS keychain (keyring), one entry per login,
//! under the app's bundle identifier. A missing entry is `Ok(None)`.

use caredesk_core::secret::Password;
use keyring::Entry;

/// The keychain service name: the bundle identifier in tauri.conf.json.
pub const SERVICE: &str = "app.caredesk.desktop";

#[derive(Debug, thiserror::Error)]
#[error("the system keychain is not available: {0}")]
pub struct KeychainError(String);

fn entry(account: &str) -> Result<Entry, KeychainError> {
    Entry::new(SERVICE, account).map_err(|e| KeychainError(e.to_string()))
}

pub fn load(account: &str) -> Result<Option<Password>, KeychainError> {
    match entry(account)?.get_password() {
        Ok(password) => Ok(Some(Password::new(password))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(KeychainError(e.to_string())),
    }
}

pub fn store(account: &str, password: &Password) -> Result<(), KeychainError> {
    entry(account)?
        .set_password(password.expose())
        .map_err(|e| KeychainError(e.to_string()))
}

pub fn forget(account: &str) -> Result<(), KeychainError> {
    match entry(account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(KeychainError(e.to_string())),
    }
}
