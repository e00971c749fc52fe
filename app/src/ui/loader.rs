//! The page loader: waits for a page's data, then shows it, or the page-level [`ErrorView`]
//! (which also sets the response's HTTP status on the server).
//!
//! ```ignore
//! <Loaded resource=users let:users>
//!     <UserTable users set_role />
//! </Loaded>
//! ```
//!
//! It renders `<Transition fallback=loading>{move || Suspend::new(…)}</Transition>`, exactly
//! what each page used to write by hand, so the server-rendered HTML and hydration are
//! unchanged. Every route renders with `SsrMode::Async`, so the fallback never reaches the
//! first HTML; it only shows during client-side navigation.

use crate::error::AppError;
use crate::ui::errors::ErrorView;
use leptos::prelude::*;
use std::future::{Future, IntoFuture};
use std::sync::Arc;

/// Waits for `resource` and renders `children` with its value, or an [`ErrorView`].
///
/// `resource` is usually a `Resource<Result<T, AppError>>`; a page that needs several
/// resources (or treats one error specially) passes [`Derived`] instead. It is awaited
/// again each time the resources it reads change.
///
/// Inside a `<Transition>` by default, which keeps the old content while reloading (after
/// an action, or on a new query); `suspense=true` uses a `<Suspense>`, which shows the
/// fallback instead. `fallback` defaults to [`crate::ui::loading`].
#[component]
pub fn Loaded<R, T, C, V>(
    resource: R,
    children: C,
    #[prop(optional)] suspense: bool,
    #[prop(optional, into)] fallback: Option<ViewFnOnce>,
) -> impl IntoView
where
    R: IntoFuture<Output = Result<T, AppError>> + Clone + Send + Sync + 'static,
    R::IntoFuture: Send + 'static,
    T: 'static,
    C: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let children = Arc::new(children);
    let body = move || {
        let resource = resource.clone();
        let children = Arc::clone(&children);
        Suspend::new(async move {
            match resource.await {
                Ok(data) => children(data).into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            }
        })
    };
    let fallback = fallback.unwrap_or_else(|| ViewFnOnce::from(crate::ui::loading));
    if suspense {
        view! { <Suspense fallback>{body}</Suspense> }.into_any()
    } else {
        view! { <Transition fallback>{body}</Transition> }.into_any()
    }
}

/// Data derived from one or more resources for [`Loaded`]: a closure returning a future,
/// awaited anew on every render, e.g.
/// `Derived(move || async move { Ok((a.await?, b.await?)) })`.
#[derive(Clone, Copy)]
pub struct Derived<F>(pub F);

impl<F, Fut> IntoFuture for Derived<F>
where
    F: FnOnce() -> Fut,
    Fut: Future,
{
    type Output = Fut::Output;
    type IntoFuture = Fut;

    fn into_future(self) -> Fut {
        (self.0)()
    }
}
