//! Domain types. Raw strings become these once, at the edge; nothing unparsed reaches SQL.

mod choice;
mod contact;
mod issue_type;
mod language;
pub mod links;
mod matched;
mod priority;
mod status;
pub mod text;

pub mod contact_limits {
    //! The length limits of the contact fields, for forms.
    pub use super::contact::{
        EMAIL_MAX_CHARS, NAME_MAX_CHARS, ORDER_ID_MAX_CHARS, PHONE_MAX_CHARS,
    };
}

pub use contact::{CustomerName, Email, OrderId, Phone, PhoneRegion};
pub use issue_type::IssueType;
pub use language::Language;
pub use matched::Matched;
pub use priority::Priority;
pub use status::Status;
pub use text::{Description, Response};
