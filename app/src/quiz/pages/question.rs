//! The question form: `/cases/:id/quiz/questions/new?kind=…` writes a question of one kind,
//! `/cases/:id/quiz/questions/:question_id` edits one. A plain form (no island): options are
//! rows, with empty rows to fill; more rows come with "Add more rows" (a post back of what was
//! typed, so nothing is lost without JavaScript).

use super::param;
use crate::error::{AppError, FieldErrors};
use crate::quiz::api::{get_question_form, AnswerRow, QuestionFormData, SaveQuestion, FORM_KINDS};
use crate::quiz::{Answer, QuestionKind};
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, TextArea, TextField};
use crate::ui::loader::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// Empty rows offered under a question's options.
const SPARE_ROWS: usize = 3;

#[component]
pub fn QuestionFormPage() -> impl IntoView {
    let case_id = param("id");
    let question_id = param("question_id");
    let data = Resource::new_blocking(
        move || (case_id(), question_id()),
        |(case_id, question_id)| async move {
            get_question_form(case_id.ok_or(AppError::NotFound)?, question_id).await
        },
    );
    view! {
        <Title text="Question · Corridor" />
        <Loaded resource=data let:data>
            <QuestionForm data />
        </Loaded>
    }
}

#[component]
fn QuestionForm(data: QuestionFormData) -> impl IntoView {
    let QuestionFormData {
        case_id,
        title,
        question,
        answered,
    } = data;
    let query = use_query_map();
    let (asked_kind, more) = query.with_untracked(|q| {
        (
            q.get("kind"),
            q.get("rows").and_then(|r| r.parse::<usize>().ok()),
        )
    });
    let save = ServerAction::<SaveQuestion>::new();
    let errors = field_errors(save);
    let stored = question.as_ref().map(|q| q.question.clone());
    let kind = stored
        .as_ref()
        .map(|q| q.kind)
        .or_else(|| {
            FORM_KINDS
                .into_iter()
                .find(|k| Some(k.as_str()) == asked_kind.as_deref())
        })
        .unwrap_or(QuestionKind::Single);
    if kind == QuestionKind::Hotspot {
        return view! {
            <p class="meta"><A href=format!("/cases/{case_id}/quiz/edit")>"← The module"</A></p>
            <h1>"Image hotspot question"</h1>
            <p class="notice">"A hotspot question is drawn on its image: retire this one and draw a new one from the module page."</p>
        }
        .into_any();
    }
    let question_id = question.as_ref().map(|q| q.id);
    let q = stored.unwrap_or_else(|| crate::quiz::Question {
        kind,
        name: String::new(),
        text: String::new(),
        explanation: String::new(),
        objective: String::new(),
        answers: Vec::new(),
        image_id: None,
        regions: Vec::new(),
    });
    let heading = if question_id.is_some() {
        format!("Edit: {}", kind.label())
    } else {
        format!("New question: {}", kind.label())
    };
    let text = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    let answers_error = Signal::derive(move || {
        errors.with(|e| e.as_ref().and_then(|e| e.get("answers").map(str::to_owned)))
    });
    let body = if kind == QuestionKind::TrueFalse {
        let truth = q.answers.first().map(|a| a.weight > 0.0);
        let feedback = |i: usize| q.answers.get(i).map(|a| a.feedback.clone());
        view! { <TruthFields errors truth feedback_true=feedback(0) feedback_false=feedback(1) /> }
            .into_any()
    } else {
        let rows = q.answers.len().max(more.unwrap_or(0)) + SPARE_ROWS;
        view! { <AnswerRows errors kind answers=q.answers.clone() rows error=answers_error /> }
            .into_any()
    };
    view! {
        <p class="meta"><A href=format!("/cases/{case_id}/quiz/edit")>"← The module of " {title}</A></p>
        <h1>{heading}</h1>
        {answered.then(|| view! {
            <p class="notice">"Learners have been given this question in their attempts. Saving makes a new version for attempts from now on; earlier attempts keep the version they were graded on, and its answers stay in the item analysis."</p>
        })}
        <ActionForm action=save attr:class="stack" attr:novalidate=true>
            <FormError error=action_error(save) />
            <input type="hidden" name="case_id" value=case_id />
            {question_id.map(|id| view! { <input type="hidden" name="question_id" value=id /> })}
            <input type="hidden" name="kind" value=kind.as_str() />
            <TextArea name="text" label="Question (Markdown)" errors required=true rows=4 value=text(&q.text) />
            {body}
            <TextArea name="explanation" label="Explanation" errors rows=3 value=text(&q.explanation)
                hint="Shown after answering (or at the end, as the module says)." />
            <TextField name="objective" label="Learning objective" errors value=text(&q.objective)
                hint="What the question checks, for the item analysis." />
            <TextField name="name" label="Short name" errors value=text(&q.name) />
            <div class="actions">
                <button type="submit" class="button">"Save the question"</button>
            </div>
        </ActionForm>
        {(kind != QuestionKind::TrueFalse).then(|| {
            let rows = q.answers.len().max(more.unwrap_or(0)) + SPARE_ROWS;
            let base = match question_id {
                Some(id) => format!("/cases/{case_id}/quiz/questions/{id}"),
                None => format!("/cases/{case_id}/quiz/questions/new"),
            };
            view! {
                <p class="hint">
                    <a href=format!("{base}?kind={}&rows={}", kind.as_str(), rows)>"More empty rows"</a>
                    " (save first what you typed in this one)"
                </p>
            }
        })}
    }
    .into_any()
}

/// What to show in a row's field: what was just posted (after a refusal), else the stored.
fn shown(errors: &Signal<Option<FieldErrors>>, name: &str, stored: &str) -> String {
    errors
        .with_untracked(|e| e.as_ref().and_then(|e| e.value(name)).map(str::to_owned))
        .unwrap_or_else(|| stored.to_owned())
}

#[component]
fn AnswerRows(
    errors: Signal<Option<FieldErrors>>,
    kind: QuestionKind,
    answers: Vec<Answer>,
    rows: usize,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let (legend, hint) = match kind {
        QuestionKind::Single => (
            "Options",
            "Weight 100 for the one right option, 0 (or empty) for the others.",
        ),
        QuestionKind::Multiple => (
            "Options",
            "Weights of the right options add up to 100; wrong ones may take a negative weight (e.g. -50).",
        ),
        _ => (
            "Accepted answers",
            "Weight 100 for a fully right answer, less for partial credit. Case, punctuation and apostrophes are ignored; * stands for any text.",
        ),
    };
    let row_views = (0..rows)
        .map(|i| {
            let stored = answers.get(i).cloned().unwrap_or(Answer {
                text: String::new(),
                weight: 0.0,
                feedback: String::new(),
            });
            let stored_weight = if answers.get(i).is_some() {
                format!("{}", stored.weight)
            } else {
                String::new()
            };
            let names = AnswerRow {
                text: format!("answers[{i}][text]"),
                weight: format!("answers[{i}][weight]"),
                feedback: format!("answers[{i}][feedback]"),
            };
            let message = {
                let names = names.clone();
                Signal::derive(move || {
                    errors.with(|e| {
                        e.as_ref().and_then(|e| {
                            e.get(&names.text)
                                .or_else(|| e.get(&names.weight))
                                .map(str::to_owned)
                        })
                    })
                })
            };
            let n = i + 1;
            view! {
                <li class="answer-row field" class:has-error=move || message.get().is_some()>
                    <label for=format!("answer-{i}-text")>{format!("Answer {n}")}</label>
                    <input id=format!("answer-{i}-text") name=names.text.clone() type="text"
                        value=shown(&errors, &names.text, &stored.text) />
                    <label for=format!("answer-{i}-weight")>{format!("Weight of answer {n} (%)")}</label>
                    <input id=format!("answer-{i}-weight") name=names.weight.clone() type="text" inputmode="decimal" size="5"
                        value=shown(&errors, &names.weight, &stored_weight) />
                    <label for=format!("answer-{i}-feedback")>{format!("Feedback on answer {n}")}</label>
                    <input id=format!("answer-{i}-feedback") name=names.feedback.clone() type="text"
                        value=shown(&errors, &names.feedback, &stored.feedback) />
                    <p class="field-error" aria-live="polite">{move || message.get()}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <fieldset class="answers-fieldset" class:has-error=move || error.get().is_some()>
            <legend>{legend}</legend>
            <p class="hint">{hint}</p>
            <p class="field-error" id="field-answers-error" aria-live="polite">{move || error.get()}</p>
            <ol class="answer-rows">{row_views}</ol>
        </fieldset>
    }
}

#[component]
fn TruthFields(
    errors: Signal<Option<FieldErrors>>,
    truth: Option<bool>,
    feedback_true: Option<String>,
    feedback_false: Option<String>,
) -> impl IntoView {
    let posted = errors.with_untracked(|e| {
        e.as_ref()
            .and_then(|e| e.value("truth"))
            .map(|v| v == "true")
    });
    let truth = posted.or(truth);
    let error = Signal::derive(move || {
        errors.with(|e| e.as_ref().and_then(|e| e.get("truth").map(str::to_owned)))
    });
    view! {
        <fieldset class="field" class:has-error=move || error.get().is_some()>
            <legend>"The statement is"</legend>
            <label><input type="radio" name="truth" value="true" checked=truth == Some(true) />" True"</label>
            <label><input type="radio" name="truth" value="false" checked=truth == Some(false) />" False"</label>
            <p class="field-error" id="field-truth-error" aria-live="polite">{move || error.get()}</p>
        </fieldset>
        <TextField name="feedback_true" label="Feedback when the learner says true" errors value=feedback_true />
        <TextField name="feedback_false" label="Feedback when the learner says false" errors value=feedback_false />
    }
}
