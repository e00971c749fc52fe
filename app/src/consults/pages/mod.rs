//! Consult pages: the lists (`/consults`), a new consult (`/consults/new`), a draft rewritten
//! (`/consults/:id/edit`) and one consult with the steps its viewer may take (`/consults/:id`). Every form is a plain form: the pages work
//! without JavaScript, and have no island.

mod chart;
mod find;
mod list;
mod pool;
mod view;

pub use list::{ConsultsPage, EditConsultPage, NewConsultPage};
pub use pool::PoolAdminPage;
pub use view::ConsultPage;

use crate::consults::{AgeBand, Sex, State};
use crate::util::Choice;

fn choices<T: Copy>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
) -> Vec<Choice> {
    all.iter()
        .map(|m| Choice {
            value: value(*m).to_owned(),
            label: label(*m),
        })
        .collect()
}

fn age_bands() -> Vec<Choice> {
    choices(&AgeBand::ALL, AgeBand::as_str, |b| {
        b.as_str().replace("_to_", "–").replace('_', " ")
    })
}

fn sexes() -> Vec<Choice> {
    choices(&Sex::ALL, Sex::as_str, |s| s.as_str().replace('_', " "))
}

fn state_label(state: State) -> &'static str {
    state.label()
}

/// The consult's id from the route's `:id` (0, which no consult has, when it is not a number).
fn consult_id() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    use leptos::prelude::With;
    let params = leptos_router::hooks::use_params_map();
    move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    }
}

/// What a field of the request is called on its form, for messages shown away from the form.
fn field_label(field: &str) -> &str {
    match field {
        "specialty" => "Specialty",
        "question" => "Your question",
        "situation" => "Situation",
        "background" => "Background",
        "assessment" => "Assessment",
        "ask" => "What you ask",
        "age_band" => "Age band",
        "sex" => "Sex",
        "findings" => "Relevant findings",
        "investigations" => "Investigations",
        "medicines" => "Medicines",
        "tried" => "What was tried",
        "consent" => "The patient agreed to a colleague's opinion",
        "consent_method" => "How",
        "consent_date" => "When",
        other => other,
    }
}
