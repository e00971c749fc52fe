//! The question form, as a lazy island: its code is a chunk of its own, fetched only on this
//! page. Rendered on the server it is the plain form (it works without JavaScript); hydrated,
//! its rows move in place (see `rows`) and the question and explanation show a preview as
//! the author types, rendered by the server as learners will see it (`preview-question`).

use super::rows::{initial_rows, AnswerRows, TruthFields};
use super::QuestionDraft;
use crate::error::AppError;
use crate::quiz::api::{PreviewQuestionText, SaveQuestion};
use crate::quiz::QuestionKind;
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, TextArea, TextField};
use leptos::prelude::*;

#[island(lazy)]
pub fn QuestionEditor(draft: QuestionDraft) -> impl IntoView {
    crate::ui::islands::report_ready();
    crate::ui::refused::provide_in_island();
    let QuestionDraft {
        case_id,
        question_id,
        kind,
        name,
        text,
        explanation,
        objective,
        answers,
    } = draft;
    let save = ServerAction::<SaveQuestion>::new();
    let errors = field_errors(save);
    let refused = action_error(save);
    // "More empty rows" comes back like a refused form, but with nothing wrong to point at.
    let form_error = Signal::derive(move || {
        refused
            .get()
            .filter(|e| !matches!(e, AppError::Invalid(fields) if fields.is_empty()))
    });
    let shown = |v: String| (!v.is_empty()).then_some(v);
    let has_text = !text.trim().is_empty() || !explanation.trim().is_empty();

    let preview = ServerAction::<PreviewQuestionText>::new();
    let show_preview = move || {
        let read = |id: &str| -> String {
            use leptos::wasm_bindgen::JsCast;
            document()
                .get_element_by_id(id)
                .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlTextAreaElement>().ok())
                .map(|t| t.value())
                .unwrap_or_default()
        };
        preview.dispatch(PreviewQuestionText {
            text: read("field-text"),
            explanation: read("field-explanation"),
        });
    };
    // A question being edited shows its preview at once; then a moment after typing pauses.
    Effect::new(move |_| {
        if has_text {
            show_preview();
        }
    });
    let pause = StoredValue::new(None::<TimeoutHandle>);
    let on_typing = move |_| {
        if let Some(handle) = pause.get_value() {
            handle.clear();
        }
        let handle =
            set_timeout_with_handle(show_preview, std::time::Duration::from_millis(500)).ok();
        pause.set_value(handle);
    };
    let preview_of = move |explanation: bool| {
        move || {
            let (html, problem) = match preview.value().get()? {
                Ok(p) if explanation => (p.explanation_html, None),
                Ok(p) => (p.text_html, None),
                Err(e) => (String::new(), crate::ui::refused::message(&e)),
            };
            let (id, label) = if explanation {
                ("preview-explanation", "Preview of the explanation")
            } else {
                ("preview-text", "Preview of the question")
            };
            if let Some(problem) = problem {
                return (!explanation).then(|| {
                    view! { <p class="form-error" role="alert">{problem}</p> }.into_any()
                });
            }
            (!html.trim().is_empty()).then(|| {
                view! {
                    <section class="preview question-preview" id=id aria-label=label>
                        <p class="hint">{label}</p>
                        <div class="prose" inner_html=html></div>
                    </section>
                }
                .into_any()
            })
        }
    };

    let body = if kind == QuestionKind::TrueFalse {
        let truth = answers.first().map(|a| a.weight > 0.0);
        let feedback = |i: usize| answers.get(i).map(|a| a.feedback.clone());
        view! { <TruthFields errors truth feedback_true=feedback(0) feedback_false=feedback(1) /> }
            .into_any()
    } else {
        let rows = errors.with_untracked(|e| initial_rows(e.as_ref(), &answers));
        view! { <AnswerRows errors kind rows /> }.into_any()
    };
    view! {
        <ActionForm action=save attr:class="stack question-form" attr:novalidate=true>
            <FormError error=form_error />
            <input type="hidden" name="case_id" value=case_id />
            {question_id.map(|id| view! { <input type="hidden" name="question_id" value=id /> })}
            <input type="hidden" name="kind" value=kind.as_str() />
            <div on:input=on_typing>
                <TextArea name="text" label="Question (Markdown)" errors required=true rows=4 value=shown(text) />
            </div>
            {preview_of(false)}
            {body}
            <div on:input=on_typing>
                <TextArea name="explanation" label="Explanation" errors rows=3 value=shown(explanation)
                    hint="Markdown. Shown after answering (or at the end, as the module says)." />
            </div>
            {preview_of(true)}
            <TextField name="objective" label="Learning objective" errors value=shown(objective)
                hint="What the question checks, for the item analysis." />
            <TextField name="name" label="Short name" errors value=shown(name) />
            <div class="actions">
                <button type="submit" class="button">"Save the question"</button>
                // Without JavaScript, more rows come from the server with what was typed kept.
                {(kind != QuestionKind::TrueFalse).then(|| view! {
                    <button type="submit" name="more_rows" value="1" class="button secondary no-js-only">
                        "More empty rows"
                    </button>
                })}
            </div>
        </ActionForm>
    }
}
