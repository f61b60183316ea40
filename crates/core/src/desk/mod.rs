//! The agent's desk as data, without a transport: what each view of the rail means (the
//! list's filter and the view's count), the timeline's typed events and their wording, the
//! live notifications' payloads and the catch-up after a reconnect, and which new issues a
//! desktop notification announces, and the reminders of urgent issues nobody has taken and of
//! issues that turn overdue. The desktop's commands and listener are adapters over
//! this module, and the UI's TypeScript is generated from its types.

pub mod live;
pub mod notice;
pub mod outcome;
pub mod reminders;
pub mod timeline;
pub mod view;
