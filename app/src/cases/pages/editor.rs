use crate::accounts::api::get_form_choices;
use crate::accounts::FormChoices;
use crate::cases::api::{get_case, PreviewCase, SaveCase};
use crate::cases::{
    CaseDetail, CaseSections, CaseStatus, Kind, Visibility, SECTIONS, SUMMARY_MAX, TITLE_MAX,
};
use crate::error::AppError;
use crate::privacy::components::{privacy_block, PrivacyPanel};
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, SelectField, TextArea, TextField};
use crate::ui::loader::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn NewCasePage() -> impl IntoView {
    let choices = Resource::new_blocking(|| (), |_| get_form_choices());
    view! {
        <Title text="Write a case · Corridor" />
        <h1>"Write a case sketch"</h1>
        <Loaded resource=choices suspense=true let:choices>
            <CaseEditor choices draft=None kind=Kind::Case />
        </Loaded>
    }
}

#[component]
pub fn NewLessonPage() -> impl IntoView {
    let choices = Resource::new_blocking(|| (), |_| get_form_choices());
    view! {
        <Title text="Write a micro-lesson · Corridor" />
        <h1>"Write a micro-lesson"</h1>
        <Loaded resource=choices suspense=true let:choices>
            <CaseEditor choices draft=None kind=Kind::Lesson />
        </Loaded>
    }
}

#[component]
pub fn EditCasePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let data = Resource::new_blocking(id, |id| async move {
        let id = id.ok_or(AppError::NotFound)?;
        let case = get_case(id, None).await?;
        if !case.is_author {
            return Err(AppError::Forbidden);
        }
        Ok((case, get_form_choices().await?))
    });
    let body = |(case, choices): (CaseDetail, FormChoices)| {
        let kind = case.summary.kind;
        view! {
            <h1>{match kind { Kind::Case => "Edit case sketch", Kind::Lesson => "Edit micro-lesson" }}</h1>
            <CaseEditor choices draft=Some(Draft::of(case)) kind />
        }
    };
    view! {
        <Title text="Edit · Corridor" />
        <Loaded resource=data suspense=true children=body />
    }
}

/// What the editor shows of a stored case: only the fields it edits, since an island's props
/// travel in the page (the rendered body, revisions and images stay on the server).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    id: i64,
    published: bool,
    title: String,
    specialty: String,
    summary: String,
    sections: CaseSections,
    tags: String,
    visibility: Visibility,
    related: String,
}

impl Draft {
    fn of(c: CaseDetail) -> Self {
        Self {
            id: c.summary.id,
            published: c.summary.status == CaseStatus::Published,
            title: c.summary.title,
            specialty: c.specialty_slug,
            summary: c.summary.summary,
            sections: c.sections,
            tags: c.tags.join(", "),
            visibility: c.visibility,
            related: c
                .related_ids
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// The editor. Works as a plain form without JavaScript: "Save draft" then shows the rendered
/// draft (the preview) with a Publish button. With JavaScript (an island), "Preview" renders in
/// place, and the privacy check runs as you type.
#[island(lazy)]
fn CaseEditor(choices: FormChoices, draft: Option<Draft>, kind: Kind) -> impl IntoView {
    crate::ui::islands::report_ready();
    crate::ui::refused::provide_in_island();
    let is_lesson = kind == Kind::Lesson;
    let save = ServerAction::<SaveCase>::new();
    let preview = ServerAction::<PreviewCase>::new();
    let errors = field_errors(save);
    let form_error = action_error(save);
    let title_ref = NodeRef::<leptos::html::Input>::new();
    let summary_ref = NodeRef::<leptos::html::Textarea>::new();
    let is_published = draft.as_ref().is_some_and(|d| d.published);
    let stored_id = draft.as_ref().map(|d| d.id);
    // A blocked publication saved a draft first: later saves must update that draft.
    let id = move || stored_id.or_else(|| privacy_block(form_error.get()).map(|(id, _)| id));
    let (title, specialty, summary, sections, tags, visibility, related) = match draft {
        Some(d) => (
            Some(d.title),
            Some(d.specialty),
            Some(d.summary),
            d.sections,
            Some(d.tags),
            d.visibility,
            Some(d.related).filter(|r| !r.is_empty()),
        ),
        None => (
            None,
            None,
            None,
            CaseSections::default(),
            None,
            Visibility::All,
            None,
        ),
    };
    let body = Some(sections.notes.clone()).filter(|n| !n.is_empty());
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
    // The preview composes the sections exactly as saving does.
    let show_preview = move || {
        let read = |key: &str| -> String {
            use leptos::wasm_bindgen::JsCast;
            document()
                .get_element_by_id(&format!("field-{key}"))
                .and_then(|el| el.dyn_into::<leptos::web_sys::HtmlTextAreaElement>().ok())
                .map(|t| t.value())
                .unwrap_or_default()
        };
        let sections = CaseSections {
            presentation: read("presentation"),
            history: read("history"),
            examination: read("examination"),
            investigations: read("investigations"),
            management: read("management"),
            outcome: read("outcome"),
            teaching_points: read("teaching_points"),
            notes: read("body"),
        };
        if let (Some(title), Some(summary)) = (title_ref.get(), summary_ref.get()) {
            preview.dispatch(PreviewCase {
                title: title.value(),
                summary: summary.value(),
                body: sections.compose(),
            });
        }
    };
    // The privacy check and preview also run as you type, a moment after you pause.
    let pause = StoredValue::new(None::<TimeoutHandle>);
    let on_typing = move |_| {
        if let Some(handle) = pause.get_value() {
            handle.clear();
        }
        let handle =
            set_timeout_with_handle(show_preview, std::time::Duration::from_millis(1200)).ok();
        pause.set_value(handle);
    };
    let blocked = move || {
        privacy_block(form_error.get()).map(|(case_id, findings)| {
            view! { <PrivacyPanel case_id=Some(case_id) findings blocking=true /> }
        })
    };
    let preview_html = move || {
        match preview.value().get() {
        Some(Ok(preview)) => Some(
            view! {
                // A blocked publication shows the same findings in its own panel.
                {(!preview.findings.is_empty() && privacy_block(form_error.get()).is_none()).then(|| view! {
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
    }
    };
    view! {
        <div on:input=on_typing on:submit=move |_| {
            if let Some(handle) = pause.get_value() {
                handle.clear();
            }
        }>
        <ActionForm action=save attr:class="stack editor" attr:novalidate=true>
            <FormError error=form_error />
            {move || id().map(|id| view! { <input type="hidden" name="id" value=id /> })}
            <input type="hidden" name="kind" value=kind.as_str() />
            <TextField name="title" label="Title" errors required=true value=title maxlength=TITLE_MAX node_ref=title_ref
                hint="What a resident should remember, e.g. “Painless jaundice with a palpable gallbladder”." />
            <SelectField name="specialty" label="Specialty" errors required=true choices=choices.specialties value=specialty />
            <TextArea name="summary" label="Summary" errors required=true rows=2 value=summary node_ref=summary_ref
                hint=format!("One or two lines for the case list (at most {SUMMARY_MAX} characters).") />
            <p class="hint">{if is_lesson { "Write in Markdown." } else { "Write in sections (Markdown; leave out what does not apply)." }}
                " Teaching callouts: a line "
                <code>"> [!PEARL]"</code>", "<code>"> [!PITFALL]"</code>" or "<code>"> [!RED FLAG]"</code>" starts a box. No names, phone, record or ID numbers, or full dates."</p>
            {(!is_lesson).then(|| SECTIONS.into_iter().map(|(key, heading)| {
                let value = Some(sections.get(key).to_owned()).filter(|v| !v.is_empty());
                view! { <TextArea name=key label=heading errors rows=4 value=value /> }
            }).collect_view())}
            {if is_lesson {
                view! {
                    <TextArea name="body" label="Lesson" errors rows=14 value=body.clone() required=true
                        hint="Aim for 3–5 minutes of reading (about 600–1,000 words): one idea, taught well." />
                    <TextField name="related" label="Related cases" errors value=related.clone()
                        hint="Case numbers or links, comma-separated, e.g. 12, /cases/15" />
                }.into_any()
            } else {
                view! {
                    <TextArea name="body" label="Notes" errors rows=6 value=body.clone()
                        hint="Anything else, or the whole case if you prefer one text." />
                }.into_any()
            }}
            <TextField name="tags" label="Tags" errors value=tags
                hint="Comma-separated, e.g. jaundice, ERCP, pancreas ca" />
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
                <button type="button" class="button secondary js-only" on:click=move |_| show_preview()>"Preview"</button>
                <button type="submit" name="intent" value="draft" class="button secondary">
                    {if is_published { "Save changes" } else { "Save draft" }}
                </button>
                {(!is_published).then(|| view! {
                    <button type="submit" name="intent" value="publish" class="button">"Publish"</button>
                })}
            </div>
        </ActionForm>
        </div>
        {blocked}
        {preview_html}
    }
}
