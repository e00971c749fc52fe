//! Components shared by many pages. Imports no feature.

pub mod errors;
pub mod fields;
pub mod islands;
pub mod loader;
pub mod not_found;
pub mod refused;

use leptos::prelude::*;

/// Shown while a page's data loads (rarely seen: pages render fully on the server).
pub fn loading() -> impl IntoView {
    view! { <p class="loading" aria-busy="true">"Loading…"</p> }
}
