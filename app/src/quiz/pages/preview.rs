//! `/cases/:id/quiz/preview`: the module as a learner would get it now, for its author. Nothing
//! is posted: no attempt is made and no statistic changes. Each question's answers and feedback
//! are behind a disclosure, so the author can try it first.

use super::param;
use crate::error::AppError;
use crate::quiz::api::{get_module_preview, ModulePreview};
use crate::quiz::QuestionKind;
use crate::ui::loader::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn ModulePreviewPage() -> impl IntoView {
    let case_id = param("id");
    let data = Resource::new_blocking(case_id, |id| async move {
        get_module_preview(id.ok_or(AppError::NotFound)?).await
    });
    view! {
        <Title text="Preview of the module · Corridor" />
        <Loaded resource=data let:data>
            <Preview data />
        </Loaded>
    }
}

#[component]
fn Preview(data: ModulePreview) -> impl IntoView {
    let ModulePreview {
        case_id,
        title,
        questions,
    } = data;
    let total = questions.len();
    view! {
        <p class="meta"><A href=format!("/cases/{case_id}/quiz/edit")>"← The module of " {title}</A></p>
        <h1>"Preview as a learner"</h1>
        <p class="notice" role="status">"This is what a learner starting the module now gets. Nothing here is saved: no attempt, no statistics."</p>
        {(total == 0).then(|| view! { <p class="empty">"The module has no questions yet."</p> })}
        <ol class="preview-questions">
            {questions.into_iter().enumerate().map(|(i, q)| {
                let number = i + 1;
                let input_type = if q.kind == QuestionKind::Multiple { "checkbox" } else { "radio" };
                let input = match q.kind {
                    QuestionKind::Single | QuestionKind::Multiple | QuestionKind::TrueFalse => view! {
                        <fieldset class="options" disabled=true>
                            <legend class="visually-hidden">{format!("Options of question {number}")}</legend>
                            {q.answers.iter().map(|(text, _, _)| view! {
                                <label class="choice option"><input type=input_type name=format!("q{number}") />{text.clone()}</label>
                            }).collect_view()}
                        </fieldset>
                    }.into_any(),
                    QuestionKind::ShortAnswer => view! {
                        <p class="meta">"The learner types a short answer."</p>
                    }.into_any(),
                    QuestionKind::Hotspot => view! {
                        <p class="meta">{format!("The learner clicks on the image “{}”.", q.image.clone().unwrap_or_default())}</p>
                    }.into_any(),
                };
                let answers = (q.kind != QuestionKind::Hotspot).then(|| view! {
                    <ul class="answers">
                        {q.answers.iter().map(|(text, weight, feedback)| view! {
                            <li>
                                {format!("{text} ({weight} %)")}
                                {(!feedback.is_empty()).then(|| format!(" — {feedback}"))}
                            </li>
                        }).collect_view()}
                    </ul>
                });
                view! {
                    <li class="card question">
                        <p class="meta">{format!("Question {number} of {total} · {}", q.kind.label())}</p>
                        <div class="prose" inner_html=q.text_html></div>
                        {input}
                        <details>
                            <summary>"Answers and feedback"</summary>
                            {answers}
                            {(!q.explanation_html.is_empty()).then(|| view! {
                                <div class="prose explanation" inner_html=q.explanation_html></div>
                            })}
                        </details>
                        <p><A href=format!("/cases/{case_id}/quiz/questions/{}", q.id)>"Edit this question"</A></p>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
