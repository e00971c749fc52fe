//! The question form: `/cases/:id/quiz/questions/new?kind=…` writes a question of one kind,
//! `/cases/:id/quiz/questions/:question_id` edits one. The form is a lazy island
//! ([`editor::QuestionEditor`]): readers never download it, and without JavaScript it is the
//! plain form it renders on the server. There, options are rows with empty rows to fill, and
//! "More empty rows" posts the form back as typed with more rows (nothing is stored); with
//! JavaScript, options are added, removed and moved in place, a single best answer's right
//! option is a radio button, and the text and explanation show a live preview.

mod editor;
mod rows;

use super::param;
use crate::error::AppError;
use crate::quiz::api::{get_question_form, QuestionFormData, FORM_KINDS};
use crate::quiz::{Answer, QuestionKind};
use crate::ui::loader::Loaded;
use editor::QuestionEditor;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

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

/// What the form edits, as the island's props (they travel in the page, so only these fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionDraft {
    case_id: i64,
    question_id: Option<i64>,
    kind: QuestionKind,
    name: String,
    text: String,
    explanation: String,
    objective: String,
    answers: Vec<Answer>,
}

#[component]
fn QuestionForm(data: QuestionFormData) -> impl IntoView {
    let QuestionFormData {
        case_id,
        title,
        question,
        answered,
    } = data;
    let asked_kind = use_query_map().with_untracked(|q| q.get("kind"));
    let question_id = question.as_ref().map(|q| q.id);
    let stored = question.map(|q| q.question);
    let kind = stored
        .as_ref()
        .map(|q| q.kind)
        .or_else(|| {
            FORM_KINDS
                .into_iter()
                .find(|k| Some(k.as_str()) == asked_kind.as_deref())
        })
        .unwrap_or(QuestionKind::Single);
    let back = view! {
        <p class="meta"><A href=format!("/cases/{case_id}/quiz/edit")>"← The module of " {title}</A></p>
    };
    if kind == QuestionKind::Hotspot {
        return view! {
            {back}
            <h1>"Image hotspot question"</h1>
            <p class="notice">"A hotspot question is drawn on its image: retire this one and draw a new one from the module page."</p>
        }
        .into_any();
    }
    let heading = if question_id.is_some() {
        format!("Edit: {}", kind.label())
    } else {
        format!("New question: {}", kind.label())
    };
    let draft = match stored {
        Some(q) => QuestionDraft {
            case_id,
            question_id,
            kind,
            name: q.name,
            text: q.text,
            explanation: q.explanation,
            objective: q.objective,
            answers: q.answers,
        },
        None => QuestionDraft {
            case_id,
            question_id,
            kind,
            name: String::new(),
            text: String::new(),
            explanation: String::new(),
            objective: String::new(),
            answers: Vec::new(),
        },
    };
    view! {
        {back}
        <h1>{heading}</h1>
        {answered.then(|| view! {
            <p class="notice">"Learners have been given this question in their attempts. Saving makes a new version for attempts from now on; earlier attempts keep the version they were graded on, and its answers stay in the item analysis."</p>
        })}
        <QuestionEditor draft />
    }
    .into_any()
}
