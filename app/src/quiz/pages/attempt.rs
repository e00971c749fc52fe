//! One question of an attempt, answered with a plain form (one question per page).

use super::param;
use super::review::Review;
use crate::error::AppError;
use crate::quiz::api::get_attempt_question;
use crate::quiz::{AttemptQuestion, QuestionKind, Response};
use crate::ui::loader::Loaded;
use crate::ui::refused::Refusal;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn AttemptPage() -> impl IntoView {
    let id = param("id");
    let number = param("n");
    let data = Resource::new_blocking(
        move || (id(), number()),
        |(id, n)| async move {
            let (Some(id), Some(n)) = (id, n) else {
                return Err(AppError::NotFound);
            };
            get_attempt_question(id, n.max(0) as usize).await
        },
    );
    // Refused answers come back to the question, a refused submission to the first one.
    let error = id().and_then(|attempt| {
        Refusal::of(&format!("/quiz/attempts/{attempt}/answer"))
            .message()
            .or_else(|| Refusal::of(&format!("/quiz/attempts/{attempt}/submit")).message())
    });
    view! {
        <Title text="Question · Corridor" />
        <Loaded resource=data let:q>
            <QuestionView q error=error.clone() />
        </Loaded>
    }
}

#[component]
fn QuestionView(q: AttemptQuestion, error: Option<String>) -> impl IntoView {
    let AttemptQuestion {
        attempt_id,
        case_id,
        title,
        number,
        total,
        answered_count,
        question_id,
        kind,
        text_html,
        options,
        hotspot,
        given,
        review,
        deadline,
        submitted,
        ..
    } = q;
    // Once feedback is shown (or the attempt is over) the answer is final.
    let locked = submitted || review.is_some();
    let chosen = |i: usize| match &given {
        Some(Response::Choice { index }) => *index == i,
        Some(Response::Choices { indexes }) => indexes.contains(&i),
        _ => false,
    };
    let given_text = match &given {
        Some(Response::Text { text }) => text.clone(),
        _ => String::new(),
    };
    let input = match kind {
        QuestionKind::Single | QuestionKind::TrueFalse | QuestionKind::Multiple => {
            let input_type = if kind == QuestionKind::Multiple { "checkbox" } else { "radio" };
            view! {
                <fieldset class="options" disabled=locked aria-describedby="answer-error">
                    <legend class="visually-hidden">"Your answer"</legend>
                    {options.into_iter().enumerate().map(|(i, text)| {
                        let input_id = format!("option-{i}");
                        let label_for = input_id.clone();
                        view! {
                            <label class="choice option" for=label_for>
                                <input type=input_type id=input_id name="choice" value=i checked=chosen(i) />
                                {text}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            }.into_any()
        }
        QuestionKind::ShortAnswer => view! {
            <div class="field">
                <label for="answer-text">"Your answer"</label>
                <input id="answer-text" type="text" name="text" maxlength="200" value=given_text readonly=locked
                    aria-describedby="answer-error" autocomplete="off" />
            </div>
        }.into_any(),
        QuestionKind::Hotspot => match hotspot {
            Some((image, width)) => {
                let height = (width as f64 * image.height as f64 / image.width.max(1) as f64).round() as u32;
                view! {
                    <p class="hint">"Click on the image where you see it."</p>
                    <div class="hotspot-frame">
                        <input type="image" name="spot" src=image.display_url() alt=format!("{} — click to answer", image.alt_text)
                            width=width height=height disabled=locked class="hotspot" />
                    </div>
                }.into_any()
            }
            None => view! { <p class="form-error">"The image of this question is missing."</p> }.into_any(),
        },
    };
    let show_submit_button = !locked && kind != QuestionKind::Hotspot;
    view! {
        <p class="meta"><A href=format!("/cases/{case_id}/quiz")>"← Module: " {title}</A></p>
        <p class="meta" aria-live="polite">
            {format!("Question {number} of {total} · {answered_count} answered")}
            {deadline.map(|d| view! { " · time ends " <time datetime=d.to_rfc3339()>{d.with_timezone(&chrono::FixedOffset::east_opt(19800).expect("IST")).format("%H:%M").to_string()}</time> " IST" })}
        </p>
        <progress max=total value=answered_count aria-label="Questions answered"></progress>
        <article class="question">
            <div class="prose" inner_html=text_html></div>
            <form method="post" action=format!("/quiz/attempts/{attempt_id}/answer") class="stack">
                <input type="hidden" name="question_id" value=question_id />
                <input type="hidden" name="number" value=number />
                {input}
                <p class="field-error" id="answer-error" role="alert">{error}</p>
                {show_submit_button.then(|| view! { <button type="submit" class="button">"Save answer"</button> })}
                {(given.is_some() && !locked).then(|| view! { <p class="meta" role="status">"Answer saved. You can change it until you submit."</p> })}
            </form>
            {review.map(|r| view! { <Review review=r /> })}
        </article>
        <nav class="pager" aria-label="Questions">
            {(number > 1).then(|| view! { <A href=format!("/quiz/attempts/{attempt_id}/{}", number - 1)>"← Previous"</A> })}
            {(number < total).then(|| view! { <A href=format!("/quiz/attempts/{attempt_id}/{}", number + 1)>"Next →"</A> })}
        </nav>
        {if submitted {
            view! { <p><A href=format!("/quiz/attempts/{attempt_id}/result") attr:class="button">"See the result"</A></p> }.into_any()
        } else {
            view! {
                <form method="post" action=format!("/quiz/attempts/{attempt_id}/submit") class="submit-attempt">
                    <p class="meta">{if answered_count < total { format!("{} questions unanswered: they score nothing.", total - answered_count) } else { "All questions answered.".to_owned() }}</p>
                    <button type="submit" class=if number == total { "button" } else { "button secondary" }>"Submit attempt"</button>
                </form>
            }.into_any()
        }}
    }
}
