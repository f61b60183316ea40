//! What a possible duplicate shares with the open issue it may repeat.

use super::choice::text_choice;

text_choice! {
    /// The strongest sign first: the same order outweighs the same customer.
    Matched {
        OrderId = "order_id", "the same order", "🧾";
        Email = "email", "the same email address", "✉️";
        Phone = "phone", "the same phone number", "📞";
    }
}
