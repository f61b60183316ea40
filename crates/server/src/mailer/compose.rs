//! An outbox email as a message: subject, plain text and HTML from the email templates, in
//! the customer's language, with the shop's signature and contacts and the status link.

use caredesk_core::outbox::OutboxEmail;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};

use crate::page::{EmailContent, PageRenderer};

/// The message for `email`; the error says why it cannot be written (it will not be tried
/// again: the outbox row is marked failed with it).
pub fn compose(
    page: &PageRenderer,
    public_url: &str,
    from: &Mailbox,
    email: &OutboxEmail,
) -> Result<Message, String> {
    let address = email.recipient.parse().map_err(|_| {
        format!(
            "\"{}\" is not an address mail can be sent to",
            email.recipient
        )
    })?;
    let to = Mailbox::new(Some(email.customer_name.clone()), address);
    let content = EmailContent {
        kind: email.kind.as_str(),
        id: email.issue_id,
        name: &email.customer_name,
        issue_type: email.issue_type.label_in(email.language),
        response: email.response.as_deref(),
        link: email
            .link_token
            .as_ref()
            .map(|token| format!("{public_url}/customer-care/status/{}", token.as_str())),
    };
    let rendered = page
        .email(email.language, &content)
        .map_err(|error| format!("the email could not be written: {error}"))?;
    Message::builder()
        .from(from.clone())
        .reply_to(from.clone())
        .to(to)
        .subject(rendered.subject)
        .multipart(MultiPart::alternative_plain_html(
            rendered.text,
            rendered.html,
        ))
        .map_err(|error| format!("the email could not be put together: {error}"))
}
