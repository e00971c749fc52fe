use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_location};

/// A page-level error: a short, plain message (and the right HTTP status on the server).
/// Someone who is not signed in is sent to the sign-in page and brought back afterwards.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status()) {
            response.set_status(status);
        }
    }
    if error == AppError::Unauthenticated {
        let location = use_location();
        let next = format!(
            "{}{}",
            location.pathname.get_untracked(),
            location.search.get_untracked()
        );
        let path = format!("/login?next={}", crate::util::url_encode(&next));
        return view! { <Redirect path /> }.into_any();
    }
    let heading = match error {
        AppError::NotFound => "Not found",
        AppError::Forbidden | AppError::NotAllowed { .. } => "Not allowed",
        AppError::Network => "Connection problem",
        AppError::BadCursor => "Out-of-date link",
        _ => "Something went wrong",
    };
    view! {
        <section class="error-page" role="alert">
            <h1>{heading}</h1>
            <p>{error.to_string()}</p>
            <p><a href="/">"Back to your home page"</a></p>
        </section>
    }
    .into_any()
}

/// The message at the top of a form after a failed submission.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|error| {
            view! {
                <div class="form-error" role="alert">
                    <p>{error.to_string()}</p>
                </div>
            }
        })
    }
}
