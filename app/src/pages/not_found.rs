use crate::components::ErrorView;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text="Not found · Corridor" />
        <ErrorView error=AppError::NotFound />
    }
}
