//! One question of an attempt (one question per page). Without JavaScript it is a plain form
//! that posts the answer and comes back with the feedback; with it (an island) the same post
//! goes through `fetch` and the answer, feedback and distribution appear in place.

use super::param;
use super::review::Review;
use crate::error::AppError;
use crate::quiz::api::get_attempt_question;
use crate::quiz::{AttemptQuestion, QuestionKind, Response};
use crate::ui::loader::Loaded;
use crate::ui::refused::Refusal;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;
use leptos_meta::Title;

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
            <QuestionIsland q error=error.clone() />
        </Loaded>
    }
}

/// The question, holding the current one in a signal: answering replaces it with what the
/// server says now (the saved answer and its feedback, or the next question).
#[island]
fn QuestionIsland(q: AttemptQuestion, error: Option<String>) -> impl IntoView {
    crate::ui::islands::report_ready();
    let question = RwSignal::new(q);
    let error = RwSignal::new(error);
    let busy = RwSignal::new(false);
    // Moving to the next question changes the address; going back through history loads it.
    #[cfg(feature = "hydrate")]
    let _ = window_event_listener(leptos::ev::popstate, |_| {
        let _ = window().location().reload();
    });
    let answer = Callback::new(move |body: web_sys::UrlSearchParams| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let q = question.get_untracked();
        leptos::task::spawn_local(async move {
            // As the plain form does: stay to read the feedback, or go on to the next question.
            let number = if !q.feedback_each && q.number < q.total {
                q.number + 1
            } else {
                q.number
            };
            let result = match post_answer(q.attempt_id, &body).await {
                Ok(()) => get_attempt_question(q.attempt_id, number).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(next) => {
                    if next.number != q.number {
                        let url = format!("/quiz/attempts/{}/{}", q.attempt_id, next.number);
                        if let Ok(history) = window().history() {
                            let _ = history.push_state_with_url(
                                &leptos::wasm_bindgen::JsValue::NULL,
                                "",
                                Some(&url),
                            );
                        }
                        window().scroll_to_with_x_and_y(0.0, 0.0);
                    }
                    question.set(next);
                    error.set(None);
                }
                Err(AppError::Unauthenticated) => {
                    let here = window().location().pathname().unwrap_or_default();
                    let login = format!("/login?next={}", crate::util::url_encode(&here));
                    let _ = window().location().set_href(&login);
                }
                Err(e) => error.set(crate::ui::refused::message(&e)),
            }
            busy.set(false);
        });
    });
    move || view! { <QuestionView q=question.get() error=error.get() busy answer /> }
}

/// Posts an answer the way the plain form does, asking for JSON.
async fn post_answer(attempt_id: i64, body: &web_sys::UrlSearchParams) -> Result<(), AppError> {
    use leptos::wasm_bindgen::JsValue;
    use wasm_bindgen_futures::JsFuture;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(body);
    let headers = web_sys::Headers::new().map_err(|_| AppError::Network)?;
    headers
        .set("Accept", "application/json")
        .map_err(|_| AppError::Network)?;
    init.set_headers(&headers);
    let url = format!("/quiz/attempts/{attempt_id}/answer");
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str_and_init(&url, &init))
        .await
        .and_then(JsValue::dyn_into)
        .map_err(|_| AppError::Network)?;
    if response.ok() {
        return Ok(());
    }
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string()),
        Err(_) => None,
    };
    Err(text
        .and_then(|t| serde_json::from_str::<AppError>(&t).ok())
        .unwrap_or(AppError::Network))
}

/// The form's fields as the plain form would post them.
fn form_body(form: &web_sys::HtmlFormElement) -> Option<web_sys::UrlSearchParams> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()
}

#[component]
fn QuestionView(
    q: AttemptQuestion,
    error: Option<String>,
    busy: RwSignal<bool>,
    answer: Callback<web_sys::UrlSearchParams>,
) -> impl IntoView {
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
    // A click on the hotspot image answers with where it was, as fractions of the image.
    let on_spot = move |ev: web_sys::MouseEvent| {
        ev.prevent_default();
        let Some(spot) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let (w, h) = (spot.client_width() as f64, spot.client_height() as f64);
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        let x = (ev.offset_x() as f64 / w).clamp(0.0, 1.0);
        let y = (ev.offset_y() as f64 / h).clamp(0.0, 1.0);
        if let Some(body) = spot.form().as_ref().and_then(form_body) {
            body.append("x", &x.to_string());
            body.append("y", &y.to_string());
            answer.run(body);
        }
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
                            width=width height=height disabled=locked class="hotspot" on:click=on_spot />
                    </div>
                }.into_any()
            }
            None => view! { <p class="form-error">"The image of this question is missing."</p> }.into_any(),
        },
    };
    let show_submit_button = !locked && kind != QuestionKind::Hotspot;
    let on_submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok());
        if let Some(body) = form.as_ref().and_then(form_body) {
            answer.run(body);
        }
    };
    view! {
        <p class="meta"><a href=format!("/cases/{case_id}/quiz")>"← Module: " {title}</a></p>
        <p class="meta" aria-live="polite">
            {format!("Question {number} of {total} · {answered_count} answered")}
            {deadline.map(|d| view! { " · time ends " <time datetime=d.to_rfc3339()>{d.with_timezone(&chrono::FixedOffset::east_opt(19800).expect("IST")).format("%H:%M").to_string()}</time> " IST" })}
        </p>
        <progress max=total value=answered_count aria-label="Questions answered"></progress>
        <article class="question">
            <div class="prose" inner_html=text_html></div>
            <form method="post" action=format!("/quiz/attempts/{attempt_id}/answer") class="stack" on:submit=on_submit>
                <input type="hidden" name="question_id" value=question_id />
                <input type="hidden" name="number" value=number />
                {input}
                <p class="field-error" id="answer-error" role="alert">{error}</p>
                {show_submit_button.then(|| view! { <button type="submit" class="button" disabled=move || busy.get()>"Save answer"</button> })}
                {(given.is_some() && !locked).then(|| view! { <p class="meta" role="status">"Answer saved. You can change it until you submit."</p> })}
            </form>
            {review.map(|r| view! { <Review review=r /> })}
        </article>
        <nav class="pager" aria-label="Questions">
            {(number > 1).then(|| view! { <a href=format!("/quiz/attempts/{attempt_id}/{}", number - 1)>"← Previous"</a> })}
            {(number < total).then(|| view! { <a href=format!("/quiz/attempts/{attempt_id}/{}", number + 1)>"Next →"</a> })}
        </nav>
        {if submitted {
            view! { <p><a href=format!("/quiz/attempts/{attempt_id}/result") class="button">"See the result"</a></p> }.into_any()
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
