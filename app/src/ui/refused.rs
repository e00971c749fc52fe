//! Reading a form refused without JavaScript. Plain handlers send the page back with the error
//! in the query the way Leptos does for server functions (`__path`, `__err`; see
//! `ssr::respond`), so every page reads it here, by the form's action.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::error::ServerFnUrlError;
use leptos_router::hooks::use_query_map;

/// What came back from the form posted to `action`, if it was refused.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Refusal {
    error: Option<AppError>,
}

impl Refusal {
    /// Reads the current URL (once: the page is rendered from it).
    pub fn of(action: &str) -> Self {
        let query = use_query_map();
        let error = query.with_untracked(|q| {
            let refused = q.get("__path").is_some_and(|path| path == action);
            refused
                .then(|| q.get("__err"))
                .flatten()
                .map(|encoded| ServerFnUrlError::<AppError>::decode_err(&encoded))
        });
        Self { error }
    }

    /// The message beside one field.
    pub fn field(&self, name: &str) -> Option<String> {
        self.error
            .as_ref()
            .and_then(|e| e.field_errors())
            .and_then(|f| f.get(name))
            .map(str::to_owned)
    }

    /// What was typed in a field, to refill it.
    pub fn value(&self, name: &str) -> String {
        self.error
            .as_ref()
            .and_then(|e| e.field_errors())
            .and_then(|f| f.value(name))
            .unwrap_or_default()
            .to_owned()
    }

    /// The message for the top of the form: a problem not about one field, or the first one.
    pub fn message(&self) -> Option<String> {
        self.error.as_ref().and_then(message)
    }
}

/// What to say about a refused form in one sentence: a problem not about one field, or the
/// first one.
pub fn message(error: &AppError) -> Option<String> {
    match error {
        AppError::Invalid(fields) => fields
            .get("form")
            .or_else(|| fields.errors.first().map(|(_, m)| m.as_str()))
            .map(str::to_owned),
        other => Some(other.to_string()),
    }
}

/// Call before creating server actions above the routes (`AuthContext`'s): the router gives
/// a refused server-function form's error (`__path`, `__err`) to `ServerAction::new` only
/// inside `<Routes>`, so without this a refused sign-in or registration posted without
/// JavaScript would come back without its messages.
pub fn provide_above_routes() {
    use_query_map().with_untracked(|q| {
        if let (Some(path), Some(err)) = (q.get("__path"), q.get("__err")) {
            provide_context(leptos::server::ServerActionError::new(&path, &err));
        }
    });
}

/// Call first in an island whose server actions may have been refused without JavaScript.
/// On the server the router reads the refusal (`__path`, `__err`) from the URL for
/// `ServerAction::new`; an island hydrates without the router, so this reads it the same way
/// in the browser, and the island hydrates showing the same error.
pub fn provide_in_island() {
    #[cfg(feature = "hydrate")]
    {
        let search = window().location().search().unwrap_or_default();
        if let Ok(query) = leptos::web_sys::UrlSearchParams::new_with_str(&search) {
            if let (Some(path), Some(err)) = (query.get("__path"), query.get("__err")) {
                provide_context(leptos::server::ServerActionError::new(&path, &err));
            }
        }
    }
}

/// What a form posted without an island came back with on success (`ssr::respond::back_with`),
/// e.g. `?invited=1`. Reads the page's URL, so only outside islands.
pub fn came_back_with(key: &str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(key))
}
