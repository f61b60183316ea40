//! How soon an issue needs an answer.

use super::choice::text_choice;

text_choice! {
    Priority {
        Normal = "normal", "Normal", "🔵";
        High = "high", "High", "🟠";
        Urgent = "urgent", "Urgent", "🔴";
    }
}

#[allow(clippy::derivable_impls)] // the enum is declared by a macro
impl Default for Priority {
    fn default() -> Self {
        Priority::Normal
    }
}
