use crate::api::{
    auth::get_form_choices,
    cases::{get_case, PreviewCase, SaveCase},
};
use crate::components::{
    action_error, field_errors, privacy_block, ErrorView, FormError, PrivacyPanel, SelectField,
    TextArea, TextField,
};
use crate::error::AppError;
use crate::model::{CaseDetail, CaseStatus, FormChoices, Visibility, SUMMARY_MAX, TITLE_MAX};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn NewCasePage() -> impl IntoView {
    let choices = Resource::new_blocking(|| (), |_| get_form_choices());
    let body = move || {
        Suspend::new(async move {
            match choices.await {
                Ok(choices) => view! { <CaseEditor choices case=None /> }.into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            }
        })
    };
    view! {
        <Title text="Write a case · Corridor" />
        <h1>"Write a case sketch"</h1>
        <Suspense fallback=super::loading>{body}</Suspense>
    }
}

#[component]
pub fn EditCasePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let data = Resource::new_blocking(id, |id| async move {
        let id = id.ok_or(AppError::NotFound)?;
        let case = get_case(id).await?;
        if !case.is_author {
            return Err(AppError::Forbidden);
        }
        Ok((case, get_form_choices().await?))
    });
    let body = move || {
        Suspend::new(async move {
            match data.await {
                Ok((case, choices)) => view! { <CaseEditor choices case=Some(case) /> }.into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            }
        })
    };
    view! {
        <Title text="Edit case · Corridor" />
        <h1>"Edit case sketch"</h1>
        <Suspense fallback=super::loading>{body}</Suspense>
    }
}

/// The editor. Works as a plain form without JavaScript: "Save draft" then shows the rendered
/// draft (the preview) with a Publish button. With JavaScript, "Preview" renders in place.
#[component]
fn CaseEditor(choices: FormChoices, case: Option<CaseDetail>) -> impl IntoView {
    let save = ServerAction::<SaveCase>::new();
    let preview = ServerAction::<PreviewCase>::new();
    let errors = field_errors(save);
    let form_error = action_error(save);
    let title_ref = NodeRef::<leptos::html::Input>::new();
    let summary_ref = NodeRef::<leptos::html::Textarea>::new();
    let body_ref = NodeRef::<leptos::html::Textarea>::new();
    let is_published = case
        .as_ref()
        .is_some_and(|c| c.summary.status == CaseStatus::Published);
    let stored_id = case.as_ref().map(|c| c.summary.id);
    // A blocked publication saved a draft first: later saves must update that draft.
    let id = move || stored_id.or_else(|| privacy_block(form_error.get()).map(|(id, _)| id));
    let (title, specialty, summary, body, visibility) = match case {
        Some(c) => (
            Some(c.summary.title),
            Some(c.specialty_slug),
            Some(c.summary.summary),
            Some(c.body_md),
            c.visibility,
        ),
        None => (None, None, None, None, Visibility::All),
    };
    let visibility = errors
        .with_untracked(|e| {
            e.as_ref()
                .and_then(|e| e.value("visibility"))
                .and_then(Visibility::parse)
        })
        .unwrap_or(visibility);
    let visibility_error = move || {
        errors.with(|e| {
            e.as_ref()
                .and_then(|e| e.get("visibility").map(str::to_owned))
        })
    };
    let show_preview = move |_| {
        if let (Some(title), Some(summary), Some(body)) =
            (title_ref.get(), summary_ref.get(), body_ref.get())
        {
            preview.dispatch(PreviewCase {
                title: title.value(),
                summary: summary.value(),
                body: body.value(),
            });
        }
    };
    let blocked = move || {
        privacy_block(form_error.get()).map(|(case_id, findings)| {
            view! { <PrivacyPanel case_id=Some(case_id) findings blocking=true /> }
        })
    };
    let preview_html = move || match preview.value().get() {
        Some(Ok(preview)) => Some(
            view! {
                {(!preview.findings.is_empty()).then(|| view! {
                    <PrivacyPanel case_id=stored_id findings=preview.findings.clone() />
                })}
                <section class="preview" aria-labelledby="preview-h">
                    <h2 id="preview-h">"Preview"</h2>
                    <div class="prose" inner_html=preview.html></div>
                </section>
            }
            .into_any(),
        ),
        Some(Err(error)) => {
            Some(view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any())
        }
        None => None,
    };
    view! {
        <ActionForm action=save attr:class="stack editor" attr:novalidate=true>
            <FormError error=form_error />
            {move || id().map(|id| view! { <input type="hidden" name="id" value=id /> })}
            <TextField name="title" label="Title" errors required=true value=title maxlength=TITLE_MAX node_ref=title_ref
                hint="What a resident should remember, e.g. “Painless jaundice with a palpable gallbladder”." />
            <SelectField name="specialty" label="Specialty" errors required=true choices=choices.specialties value=specialty />
            <TextArea name="summary" label="Summary" errors required=true rows=2 value=summary node_ref=summary_ref
                hint=format!("One or two lines for the case list (at most {SUMMARY_MAX} characters).") />
            <TextArea name="body" label="Case (Markdown)" errors required=true rows=16 value=body node_ref=body_ref
                hint="Presentation, findings, management, teaching points. No names, ages with dates, phone or record numbers." />
            <fieldset class="field" aria-describedby="field-visibility-error">
                <legend>"Who may read it"</legend>
                {Visibility::ALL.into_iter().map(|v| {
                    let input_id = format!("visibility-{}", v.as_str());
                    let label_for = input_id.clone();
                    view! {
                        <label class="choice" for=label_for>
                            <input type="radio" id=input_id name="visibility" value=v.as_str() checked=v == visibility />
                            {v.label()}
                        </label>
                    }
                }).collect_view()}
                <p class="field-error" id="field-visibility-error" aria-live="polite">{visibility_error}</p>
            </fieldset>
            <div class="actions">
                <button type="button" class="button secondary js-only" on:click=show_preview>"Preview"</button>
                <button type="submit" name="intent" value="draft" class="button secondary">
                    {if is_published { "Save changes" } else { "Save draft" }}
                </button>
                {(!is_published).then(|| view! {
                    <button type="submit" name="intent" value="publish" class="button">"Publish"</button>
                })}
            </div>
        </ActionForm>
        {blocked}
        {preview_html}
    }
}
