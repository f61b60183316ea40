//! The commands the UI may call, one module per feature. Each is a thin adapter: parse the
//! input, call `caredesk-core`, map the error. `table.rs` lists them all once; the Tauri
//! commands themselves are generated from it here.

pub mod auth;
pub mod contact;
pub mod issues;
pub mod photos;
pub mod preferences;
pub mod privacy;
pub mod replies;
pub mod team;

use caredesk_core::agents::TeamMember;
use caredesk_core::db::replies::{FilledReply, SavedReply};
use caredesk_core::db::stats::{DailyCount, ResponseTimes, Satisfaction};
use caredesk_core::desk::view::{ViewCount, ViewPage, ViewQuery};
use caredesk_core::domain::{Priority, Status};
use caredesk_core::privacy::MatchBy;
use caredesk_core::secret::Password;
use chrono::{DateTime, Utc};

use crate::contract::TsType;
use crate::error::CommandError;
use crate::session::{Agent, SignInRequest};
use crate::settings::{ConnectionChoices, Settings};
use contact::Channel;
use issues::{IssueDetail, IssueUpdated};
use photos::FullPhoto;
use privacy::CustomerRecords;
use replies::RepliesChanged;
use team::TeamChanged;

/// A command as the UI's client sees it.
pub struct CommandSpec {
    pub name: &'static str,
    /// Each argument's name and type.
    pub args: Vec<(&'static str, TsType)>,
    pub returns: TsType,
}

macro_rules! desk_commands {
    ($( $module:ident :: $name:ident ( $( $arg:ident : $ty:ty ),* $(,)? ) -> $ret:ty ; )*) => {
        /// The Tauri side of each command: passes the app and the arguments to the function
        /// of the same name in its module. Private, so that the handler below is the only
        /// way in.
        mod ipc {
            use super::*;

            $(
                #[tauri::command(rename_all = "snake_case")]
                async fn $name<R: tauri::Runtime>(
                    app: tauri::AppHandle<R>,
                    $( $arg: $ty ),*
                ) -> Result<$ret, CommandError> {
                    let started = std::time::Instant::now();
                    let answer = super::$module::$name(&app, $( $arg ),*).await;
                    tracing::debug!(
                        command = stringify!($name),
                        ms = started.elapsed().as_secs_f64() * 1000.0,
                        ok = answer.is_ok(),
                        "command answered"
                    );
                    answer
                }
            )*

            pub fn handler<R: tauri::Runtime>(
            ) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
                tauri::generate_handler![$( $name ),*]
            }
        }

        pub use ipc::handler;

        /// Every command's name, in the table's order.
        pub const NAMES: &[&str] = &[$( stringify!($name) ),*];

        /// Every command with its TypeScript signature, for the UI's generated client.
        pub fn specs(cfg: &ts_rs::Config) -> Vec<CommandSpec> {
            vec![$(
                CommandSpec {
                    name: stringify!($name),
                    args: vec![$( (stringify!($arg), TsType::of::<$ty>(cfg)) ),*],
                    returns: TsType::of::<$ret>(cfg),
                }
            ),*]
        }
    };
}

include!("table.rs");
