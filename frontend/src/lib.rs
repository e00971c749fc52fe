//! The browser half of Corridor: hydrates the page's islands (`#[island]` components in `app`);
//! everything else on the page is server-rendered HTML and stays as it is.

// Deeply nested `view!` types need more room than the default in the optimised WASM build.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // The islands' exported hydration functions live in `app`; using it keeps them linked
    // into this bundle (leptos#2083).
    #[allow(unused_imports)]
    use app::*;
    console_error_panic_hook::set_once();
    // A server function that answers with `leptos_axum::redirect` is followed with a page load.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|to: &str| {
        let _ = leptos::prelude::window().location().set_href(to);
    });
    leptos::mount::hydrate_islands();
    // The island script hydrates each `<leptos-island>` right after this returns; the last
    // one to be ready marks the page `html.hydrated`.
    app::ui::islands::start();
}
