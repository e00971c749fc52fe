use crate::error::AppError;
use crate::ui::errors::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text="Not found · Corridor" />
        <ErrorView error=AppError::NotFound />
    }
}
