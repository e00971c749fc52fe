//! The browser half of Corridor: hydrates the server-rendered page.

// Deeply nested `view!` types need more room than the default in the optimised WASM build.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
