//! What the desktop knows of the shop only through the database: its name and the public
//! address of its status pages (for saved replies), and its own order page (for the
//! detail's order id). `caredesk-server migrate` writes them from the shop profile.

use sqlx::PgExecutor;

use crate::domain::links::OrderLink;
use crate::error::Error;

/// The shop's facts as the profile and `CAREDESK_PUBLIC_URL` give them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopFacts<'a> {
    pub name: &'a str,
    pub public_url: Option<&'a str>,
    pub order_link: Option<&'a OrderLink>,
}

/// Gives the database the shop's facts (as the schema's owner).
pub async fn set(db: impl PgExecutor<'_>, facts: &ShopFacts<'_>) -> Result<(), Error> {
    sqlx::query!(
        "UPDATE caredesk_shop SET name = $1, public_url = $2, order_link = $3",
        facts.name,
        facts.public_url,
        facts.order_link.map(OrderLink::template),
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The shop's order page template, checked again here: the desktop opens what it builds
/// with the OS, so a template that could lead elsewhere is never used.
pub async fn order_link(db: impl PgExecutor<'_>) -> Result<Option<OrderLink>, Error> {
    let template = sqlx::query_scalar!("SELECT order_link FROM caredesk_shop")
        .fetch_optional(db)
        .await?
        .flatten();
    Ok(template.and_then(|t| match OrderLink::parse(&t) {
        Ok(link) => Some(link),
        Err(reason) => {
            tracing::warn!(%reason, "the shop's order link is not used");
            None
        }
    }))
}
