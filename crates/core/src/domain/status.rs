//! Where an issue is in its life.

use super::choice::text_choice;

text_choice! {
    Status {
        Open = "open", "Open", "🔴";
        InProgress = "in-progress", "In progress", "🟡";
        Resolved = "resolved", "Resolved", "🟢";
    }
}
