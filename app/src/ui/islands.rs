//! Marks the page `html.hydrated` once every island on it is live: that reveals the `.js-only`
//! controls, and the end-to-end tests wait for it. The editors are lazy islands (their code is
//! a chunk of its own, fetched when the page has them), so "after the island script ran" is
//! not enough: each island reports when it is ready, and the last one marks the page.

use std::sync::atomic::{AtomicUsize, Ordering};

static WAITING: AtomicUsize = AtomicUsize::new(0);

/// Called once, from the bundle's `hydrate`, before the islands hydrate.
pub fn start() {
    let count = leptos::prelude::document()
        .query_selector_all("leptos-island")
        .map(|list| list.length() as usize)
        .unwrap_or(0);
    WAITING.store(count, Ordering::SeqCst);
    if count == 0 {
        mark();
    }
}

/// Called by each island (in an effect, so after it has hydrated).
pub fn ready() {
    let before = WAITING.fetch_sub(1, Ordering::SeqCst);
    if before <= 1 {
        WAITING.store(0, Ordering::SeqCst);
        mark();
    }
}

/// Call first thing in an island's body: reports it ready once it has hydrated.
pub fn report_ready() {
    leptos::prelude::Effect::new(|_| ready());
}

fn mark() {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.class_list().add_1("hydrated");
    }
}
