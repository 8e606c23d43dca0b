//! What a context tells the shell about the signed-in person: the unread
//! count the menu shows on »Indbakke«, and the person's own front page in
//! place of the shell's cards. The shell sees only this trait; the
//! context that holds the tasks and the inbox (coordination) implements
//! it over its own store.

use std::future::Future;
use std::pin::Pin;

use axum::response::Html;
use samspil_domain::UserId;

use crate::AppState;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::i18n::Lang;

/// A future a [`Personal`] hands back.
pub type PersonalFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'a>>;

/// The signed-in person as a context sees them.
pub trait Personal: Send + Sync {
    /// How many items of this person's inbox are unread.
    fn unread(&self, user: UserId) -> PersonalFuture<'_, u64>;

    /// The person's front page (`/`): what is theirs to do.
    fn home<'a>(
        &'a self,
        state: &'a AppState,
        lang: Lang,
        signed_in: &'a SignedIn,
    ) -> PersonalFuture<'a, Html<String>>;
}
