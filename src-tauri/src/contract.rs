//! The UI's side of the contract, generated from the Rust side: every command with its
//! arguments and answer, every event with its payload, the error kinds, and the words and
//! icons of the closed sets (types, priorities, statuses, views, settings) with the limits
//! the UI shows. `cargo test` writes it to `ui/src/api/generated/desk.ts` (beside the types
//! ts-rs writes to `ui/src/api/bindings/`); ./test.sh fails when the committed file differs,
//! so a renamed command, argument, event, field or label cannot reach the agent unnoticed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use caredesk_core::agents::MIN_PASSWORD_CHARS;
use caredesk_core::db::replies::{PLACEHOLDERS, Placeholder};
use caredesk_core::desk::live::{CustomerWrote, DbStatus, DeskEvent, IssueChanged, IssueCreated};
use caredesk_core::desk::notice::NotifyLevel;
use caredesk_core::desk::reminders::RemindEvery;
use caredesk_core::desk::view::{self, View};
use caredesk_core::domain::text::{REPLY_TITLE_MAX_CHARS, RESPONSE_MAX_CHARS};
use caredesk_core::domain::{IssueType, Priority, Status};
use caredesk_core::promise::DUE_SOON_MINUTES;
use serde::Serialize;
use ts_rs::{TS, TypeVisitor};

use crate::commands;
use crate::error::ErrorKind;
use crate::settings::{ConnectionSecurity, Theme};

/// A Rust type as TypeScript: its name there and the generated files it needs.
pub struct TsType {
    pub name: String,
    /// TypeScript name → file under the bindings folder.
    imports: BTreeMap<String, PathBuf>,
}

impl TsType {
    pub fn of<T: TS + 'static + ?Sized>(cfg: &ts_rs::Config) -> Self {
        /// Every exported type a type names, its generic arguments too (`Vec<ViewCount>`).
        struct Imports<'a> {
            cfg: &'a ts_rs::Config,
            found: BTreeMap<String, PathBuf>,
        }
        impl TypeVisitor for Imports<'_> {
            fn visit<U: TS + 'static + ?Sized>(&mut self) {
                if let Some(path) = U::output_path() {
                    self.found.insert(U::ident(self.cfg), path);
                }
            }
        }
        let mut imports = Imports {
            cfg,
            found: BTreeMap::new(),
        };
        imports.visit::<T>();
        T::visit_dependencies(&mut imports);
        T::visit_generics(&mut imports);
        Self {
            name: T::name(cfg),
            imports: imports.found,
        }
    }
}

/// The events the desktop emits, by name.
fn events(cfg: &ts_rs::Config) -> Vec<(&'static str, TsType)> {
    fn event<E: DeskEvent + TS + 'static>(cfg: &ts_rs::Config) -> (&'static str, TsType) {
        (E::NAME, TsType::of::<E>(cfg))
    }
    vec![
        event::<IssueCreated>(cfg),
        event::<IssueChanged>(cfg),
        event::<DbStatus>(cfg),
        event::<CustomerWrote>(cfg),
    ]
}

#[derive(Serialize)]
struct Choice {
    value: serde_json::Value,
    label: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    short: Option<&'static str>,
}

/// The words of a value besides its label.
#[derive(Default)]
struct Words {
    icon: Option<&'static str>,
    note: Option<&'static str>,
    /// A short label, where space is tight (the chart's legend).
    short: Option<&'static str>,
}

/// A closed set's values with their words (`extra` gives an icon, a note, a short label).
fn choices<T: Serialize + Copy>(
    all: &[T],
    label: impl Fn(T) -> &'static str,
    extra: impl Fn(T) -> Words,
) -> String {
    let list: Vec<Choice> = all
        .iter()
        .map(|&value| {
            let Words { icon, note, short } = extra(value);
            Choice {
                value: serde_json::to_value(value).unwrap_or_default(),
                label: label(value),
                icon,
                note,
                short,
            }
        })
        .collect();
    serde_json::to_string_pretty(&list).unwrap_or_default()
}

fn icon(icon: &'static str) -> Words {
    Words {
        icon: Some(icon),
        ..Words::default()
    }
}

fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The whole generated module's text.
pub fn typescript(cfg: &ts_rs::Config) -> String {
    let commands = commands::specs(cfg);
    let events = events(cfg);
    let mut imports: BTreeMap<String, PathBuf> = BTreeMap::new();
    // the TypeScript the module writes types in: what it must import
    let mut used = String::new();
    for ts in commands
        .iter()
        .flat_map(|c| c.args.iter().map(|(_, t)| t).chain([&c.returns]))
        .chain(events.iter().map(|(_, t)| t))
    {
        imports.extend(ts.imports.clone());
        used.push_str(&ts.name);
        used.push(' ');
    }
    for extra in [
        TsType::of::<ErrorKind>(cfg),
        TsType::of::<IssueType>(cfg),
        TsType::of::<Priority>(cfg),
        TsType::of::<Status>(cfg),
        TsType::of::<View>(cfg),
        TsType::of::<NotifyLevel>(cfg),
        TsType::of::<RemindEvery>(cfg),
        TsType::of::<Placeholder>(cfg),
        TsType::of::<Theme>(cfg),
        TsType::of::<ConnectionSecurity>(cfg),
    ] {
        imports.extend(extra.imports);
        used.push_str(&extra.name);
        used.push(' ');
    }

    let mut ts = String::from(
        "\n/** Each command the UI may call: its arguments, by name, and its answer. */\nexport type Commands = {\n",
    );
    for command in &commands {
        let args: Vec<String> = command
            .args
            .iter()
            .map(|(name, t)| format!("{name}: {}", t.name))
            .collect();
        let args = if args.is_empty() {
            "Record<string, never>".to_owned()
        } else {
            format!("{{ {} }}", args.join("; "))
        };
        let _ = writeln!(
            ts,
            "  {}: {{ args: {args}; returns: {} }};",
            command.name, command.returns.name
        );
    }
    ts.push_str("};\n\n");
    let _ = writeln!(
        ts,
        "export const COMMAND_NAMES = {} as const;\n",
        serde_json::to_string(commands::NAMES).unwrap_or_default()
    );
    ts.push_str(
        "/** Reaches one command; `../index.ts` gives the real one, tests a mock. */\n\
         export type Invoke = <K extends keyof Commands>(command: K, args: Commands[K]['args']) => Promise<Commands[K]['returns']>;\n\n\
         /** One function per command, with the command's own argument names. */\n\
         export function commandsVia(invoke: Invoke) {\n  return {\n",
    );
    for command in &commands {
        let params: Vec<String> = command
            .args
            .iter()
            .map(|(name, t)| format!("{name}: {}", t.name))
            .collect();
        let names: Vec<&str> = command.args.iter().map(|(name, _)| *name).collect();
        let args = if names.is_empty() {
            "{}".to_owned()
        } else {
            format!("{{ {} }}", names.join(", "))
        };
        let _ = writeln!(
            ts,
            "    {}: ({}) => invoke('{}', {args}),",
            camel_case(command.name),
            params.join(", "),
            command.name,
        );
    }
    ts.push_str("  };\n}\n\n/** The events the Rust side emits, by name, with their payloads. */\nexport type Events = {\n");
    for (name, payload) in &events {
        let _ = writeln!(ts, "  '{name}': {};", payload.name);
    }
    ts.push_str("};\n\n");
    let kinds: Vec<serde_json::Value> = ErrorKind::ALL
        .iter()
        .map(|k| serde_json::to_value(k).unwrap_or_default())
        .collect();
    let _ = writeln!(
        ts,
        "/** Every kind of error a command can answer with. */\nexport const ERROR_KINDS: readonly ErrorKind[] = {};\n",
        serde_json::to_string(&kinds).unwrap_or_default()
    );

    ts.push_str("/** A value of a closed set with its words (an icon, a note, a short label) as the agent sees them. */\nexport type Choice<T> = { value: T; label: string; icon?: string; note?: string; short?: string };\n\n");
    let catalog = [
        (
            "ISSUE_TYPES",
            "IssueType",
            choices(IssueType::ALL, IssueType::label, |t| Words {
                short: Some(t.short_label()),
                ..icon(t.icon())
            }),
        ),
        (
            "PRIORITIES",
            "Priority",
            choices(Priority::ALL, Priority::label, |p| icon(p.icon())),
        ),
        (
            "STATUSES",
            "Status",
            choices(Status::ALL, Status::label, |s| icon(s.icon())),
        ),
        (
            "VIEWS",
            "View",
            choices(View::ALL, View::label, |v| icon(v.icon())),
        ),
        (
            "NOTIFY_LEVELS",
            "NotifyLevel",
            choices(NotifyLevel::ALL, NotifyLevel::label, |_| Words::default()),
        ),
        (
            "REMINDERS",
            "RemindEvery",
            choices(RemindEvery::ALL, RemindEvery::label, |_| Words::default()),
        ),
        (
            "THEMES",
            "Theme",
            choices(Theme::ALL, Theme::label, |_| Words::default()),
        ),
        (
            "CONNECTION_SECURITY",
            "ConnectionSecurity",
            choices(ConnectionSecurity::ALL, ConnectionSecurity::label, |c| {
                Words {
                    note: Some(c.note()),
                    ..Words::default()
                }
            }),
        ),
    ];
    for (name, ty, list) in catalog {
        let _ = writeln!(
            ts,
            "export const {name}: readonly Choice<{ty}>[] = {list};\n"
        );
    }
    let _ = writeln!(
        ts,
        "/** Limits the UI shows; the Rust side enforces them. */\nexport const LIMITS = {{\n  responseMaxChars: {RESPONSE_MAX_CHARS},\n  pageSize: {},\n  dueSoonMinutes: {DUE_SOON_MINUTES},\n  replyTitleMaxChars: {REPLY_TITLE_MAX_CHARS},\n  passwordMinChars: {MIN_PASSWORD_CHARS},\n}} as const;",
        view::DEFAULT_PAGE_SIZE
    );
    let _ = writeln!(
        ts,
        "\n/** The placeholders a saved reply may use, and what each stands for. */\nexport const PLACEHOLDERS: readonly Placeholder[] = {};",
        serde_json::to_string_pretty(PLACEHOLDERS).unwrap_or_default()
    );
    let _ = writeln!(
        ts,
        "\n/** The settings until the desktop's stored ones arrive. */\nexport const DEFAULT_SETTINGS: Settings = {};",
        serde_json::to_string_pretty(&crate::settings::Settings::first_run()).unwrap_or_default()
    );
    let mut module = String::from(
        "// Generated from the Rust side by `cargo test` (src-tauri/src/contract.rs): do not edit.\n\
         // ./test.sh fails when this file differs from what the Rust side generates.\n",
    );
    for (name, path) in imports.iter().filter(|(name, _)| mentions(&used, name)) {
        let _ = writeln!(
            module,
            "import type {{ {name} }} from '../bindings/{}';",
            path.with_extension("").display()
        );
    }
    module + &ts
}

/// Whether `text` uses the type `name` (as a whole word).
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        !text[..at].ends_with(word) && !text[at + name.len()..].starts_with(word)
    })
}

/// Where the generated module goes: beside ts-rs's bindings folder.
pub fn path(cfg: &ts_rs::Config) -> PathBuf {
    cfg.out_dir()
        .parent()
        .map(|api| api.join("generated").join("desk.ts"))
        .unwrap_or_else(|| PathBuf::from("desk.ts"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes the generated module (only when it changed, so an unchanged tree stays
    /// untouched); ./test.sh then checks that it is committed as written.
    #[test]
    fn the_ui_contract_is_generated() {
        let cfg = ts_rs::Config::from_env();
        let text = typescript(&cfg);
        let path = path(&cfg);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        for name in commands::NAMES {
            assert!(text.contains(&format!("  {name}: {{ args:")), "{name}");
        }
    }

    /// The values a closed set's TypeScript union has (from its serde spelling, as ts-rs
    /// sees the enum) are exactly those its `ALL` lists: a variant added to the enum but
    /// not to `ALL` would never reach the UI's lists.
    fn listed_as_every_variant<T: TS + Serialize>(all: &[T]) {
        let cfg = ts_rs::Config::default();
        let union: std::collections::BTreeSet<String> = T::inline(&cfg)
            .split('|')
            .map(|v| v.trim().trim_matches('"').to_owned())
            .collect();
        let listed: std::collections::BTreeSet<String> = all
            .iter()
            .map(|v| {
                serde_json::to_value(v)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(union, listed, "{}", T::name(&cfg));
    }

    #[test]
    fn every_closed_set_lists_all_its_variants() {
        listed_as_every_variant(ErrorKind::ALL);
        listed_as_every_variant(View::ALL);
        listed_as_every_variant(IssueType::ALL);
        listed_as_every_variant(Priority::ALL);
        listed_as_every_variant(Status::ALL);
        listed_as_every_variant(NotifyLevel::ALL);
        listed_as_every_variant(RemindEvery::ALL);
        listed_as_every_variant(Theme::ALL);
        listed_as_every_variant(ConnectionSecurity::ALL);
    }

    #[test]
    fn command_names_become_camel_case_functions() {
        assert_eq!(camel_case("list_issues"), "listIssues");
        assert_eq!(camel_case("sign_in"), "signIn");
    }
}
