//! What a customer's problem is about.

use super::choice::text_choice;

text_choice! {
    /// The seed's eight issue types.
    IssueType {
        NotReceived = "not_received", "Order Not Received", "📦";
        Quality = "quality", "Product Quality Issue", "⚠️";
        WrongItem = "wrong_item", "Wrong Item Delivered", "❌";
        Damaged = "damaged", "Damaged Packaging", "💔";
        Payment = "payment", "Payment Issues", "💳";
        Refund = "refund", "Refund/Return Query", "💰";
        App = "app", "App/Website Issues", "📱";
        Other = "other", "Other Issues", "❓";
    }
}

impl IssueType {
    /// The label where space is tight (the dashboard chart's legend).
    pub fn short_label(self) -> &'static str {
        match self {
            IssueType::NotReceived => "Not received",
            IssueType::Quality => "Quality",
            IssueType::WrongItem => "Wrong item",
            IssueType::Damaged => "Damaged",
            IssueType::Payment => "Payment",
            IssueType::Refund => "Refund",
            IssueType::App => "App/Web",
            IssueType::Other => "Other",
        }
    }
}
