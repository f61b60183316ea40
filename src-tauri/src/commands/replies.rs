//! Saved replies: any agent lists them and inserts one, filled in for the open issue;
//! admins add, edit and delete them (the database refuses anyone else).

use caredesk_core::db::replies::{self, FilledReply, ReplyDraft, SavedReply};
use serde::Serialize;
use tauri::{AppHandle, Runtime};

use crate::error::CommandError;
use crate::session;

/// The library after a change, and what the change was.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RepliesChanged {
    pub replies: Vec<SavedReply>,
    pub said: String,
}

pub async fn list_replies<R: Runtime>(app: &AppHandle<R>) -> Result<Vec<SavedReply>, CommandError> {
    let pool = session::state(app).pool().await?;
    Ok(replies::list(&pool).await?)
}

/// Adds a saved reply (`id` none) or replaces one's title and text.
pub async fn save_reply<R: Runtime>(
    app: &AppHandle<R>,
    id: Option<i64>,
    title: String,
    body: String,
) -> Result<RepliesChanged, CommandError> {
    let draft = ReplyDraft::parse(&title, &body)?;
    let pool = session::state(app).pool().await?;
    let saved = match id {
        None => replies::add(&pool, &draft).await?,
        Some(id) => replies::update(&pool, id, &draft).await?,
    };
    let said = match id {
        None => format!("Saved reply “{}” added for every agent", saved.title),
        Some(_) => format!("Saved reply “{}” updated for every agent", saved.title),
    };
    Ok(RepliesChanged {
        replies: replies::list(&pool).await?,
        said,
    })
}

pub async fn delete_reply<R: Runtime>(
    app: &AppHandle<R>,
    id: i64,
) -> Result<RepliesChanged, CommandError> {
    let pool = session::state(app).pool().await?;
    replies::delete(&pool, id).await?;
    Ok(RepliesChanged {
        replies: replies::list(&pool).await?,
        said: "Saved reply deleted for every agent".into(),
    })
}

/// Saved reply `reply_id` filled in for issue `issue_id`, for the response box.
pub async fn fill_reply<R: Runtime>(
    app: &AppHandle<R>,
    reply_id: i64,
    issue_id: i64,
) -> Result<FilledReply, CommandError> {
    let pool = session::state(app).pool().await?;
    let mut db = pool.acquire().await.map_err(caredesk_core::Error::from)?;
    Ok(replies::fill(&mut db, reply_id, issue_id).await?)
}
