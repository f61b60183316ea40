//! The languages CareDesk speaks with customers.

use super::choice::text_choice;

text_choice! {
    /// A customer's language: the public page, the status page and the emails use it.
    Language {
        En = "en", "English", "🇬🇧";
        De = "de", "Deutsch", "🇩🇪";
    }
}

#[allow(clippy::derivable_impls)] // the enum is declared by a macro
impl Default for Language {
    fn default() -> Self {
        Language::En
    }
}
