//! Domain types. Raw strings become these once, at the edge; nothing unparsed reaches SQL.

mod choice;
mod contact;
mod issue_type;
mod priority;
mod status;
mod text;

pub use contact::{CustomerName, Email, OrderId, Phone, PhoneRegion};
pub use issue_type::IssueType;
pub use priority::Priority;
pub use status::Status;
pub use text::{Description, Response};
