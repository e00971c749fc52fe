//! Institution and department settings: peer review per department, and the record-number
//! labels the privacy guard learns per institution.

use crate::api::admin::{get_settings, AddRecordLabel, RemoveRecordLabel, SetPeerReview};
use crate::components::{action_error, field_errors, ErrorView, FormError, TextField};
use crate::model::{InstitutionSettings, Role, RECORD_LABELS_HINT};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let review = ServerAction::<SetPeerReview>::new();
    let add = ServerAction::<AddRecordLabel>::new();
    let remove = ServerAction::<RemoveRecordLabel>::new();
    let settings = Resource::new_blocking(
        move || {
            (
                review.version().get(),
                add.version().get(),
                remove.version().get(),
            )
        },
        |_| get_settings(),
    );
    let body = move || {
        Suspend::new(async move {
            match settings.await {
                Ok((_, list)) if list.is_empty() => view! { <p class="empty">"No departments yet."</p> }.into_any(),
                Ok((role, list)) => list
                    .into_iter()
                    .map(|i| view! { <Institution institution=i review add remove site_admin=role == Role::SiteAdmin /> })
                    .collect_view()
                    .into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            }
        })
    };
    view! {
        <Title text="Settings · Corridor" />
        <h1>"Department settings"</h1>
        <FormError error=action_error(review) />
        <FormError error=action_error(remove) />
        <Transition fallback=super::loading>{body}</Transition>
    }
}

#[component]
fn Institution(
    institution: InstitutionSettings,
    review: ServerAction<SetPeerReview>,
    add: ServerAction<AddRecordLabel>,
    remove: ServerAction<RemoveRecordLabel>,
    site_admin: bool,
) -> impl IntoView {
    let InstitutionSettings {
        id,
        name,
        labels,
        departments,
    } = institution;
    let errors = field_errors(add);
    let heading_id = format!("institution-{id}");
    let labelled_by = heading_id.clone();
    view! {
        <section aria-labelledby=labelled_by class="card settings">
            <h2 id=heading_id>{name}</h2>
            <h3>"Peer review"</h3>
            <p class="meta">"When on, a case published in the department reaches readers only after another mentor of the department approves it."</p>
            <ul class="plain-list">
                {departments.into_iter().map(|d| {
                    let (label, next, button) = if d.peer_review {
                        ("on", None, "Switch off")
                    } else {
                        ("off", Some("on"), "Switch on")
                    };
                    view! {
                        <li>
                            <ActionForm action=review attr:class="inline">
                                <input type="hidden" name="department_id" value=d.id />
                                {next.map(|v| view! { <input type="hidden" name="enabled" value=v /> })}
                                <span>{d.name.clone()} ": peer review " <strong>{label}</strong> " "</span>
                                <button type="submit" class="button small secondary"
                                    aria-label=format!("{button} peer review for {}", d.name)>{button}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h3>"Record-number labels"</h3>
            <p class="meta">{RECORD_LABELS_HINT}</p>
            {if labels.is_empty() {
                view! { <p class="empty">"No labels of its own."</p> }.into_any()
            } else {
                view! {
                    <ul class="tag-list">
                        {labels.into_iter().map(|label| view! {
                            <li>
                                <span class="tag">{label.clone()}</span>
                                {site_admin.then(|| view! {
                                    <ActionForm action=remove attr:class="inline">
                                        <input type="hidden" name="institution_id" value=id />
                                        <input type="hidden" name="label" value=label.clone() />
                                        <button type="submit" class="button small secondary" aria-label=format!("Remove label {label}")>"×"</button>
                                    </ActionForm>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {site_admin.then(|| view! {
                <ActionForm action=add attr:class="stack narrow" attr:novalidate=true>
                    <input type="hidden" name="institution_id" value=id />
                    <TextField name="label" label="Add a label" errors hint="e.g. PID, Hosp No, Case Sheet No" maxlength=24usize />
                    <button type="submit" class="button small">"Add label"</button>
                </ActionForm>
            })}
        </section>
    }
}
