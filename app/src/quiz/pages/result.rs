//! An attempt's result, and the activity evaluation that releases the module's credit.

use super::review::Review;
use super::{param, percent};
use crate::cme::api::EvaluateActivity;
use crate::error::AppError;
use crate::quiz::api::get_attempt_result;
use crate::quiz::AttemptResult;
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors};
use crate::ui::loader::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn AttemptResultPage() -> impl IntoView {
    let id = param("id");
    let evaluate = ServerAction::<EvaluateActivity>::new();
    let data = Resource::new_blocking(
        move || (id(), evaluate.version().get()),
        |(id, _)| async move { get_attempt_result(id.ok_or(AppError::NotFound)?).await },
    );
    view! {
        <Title text="Result · Corridor" />
        <Loaded resource=data let:result>
            <ResultView result evaluate />
        </Loaded>
    }
}

#[component]
fn ResultView(result: AttemptResult, evaluate: ServerAction<EvaluateActivity>) -> impl IntoView {
    let AttemptResult {
        attempt_id,
        needs_evaluation,
        credit_amount,
        credit_type,
        certificate_id,
        case_id,
        title,
        score,
        passed,
        pass_mark,
        questions,
        can_retake,
        ..
    } = result;
    view! {
        <p class="meta"><A href=format!("/cases/{case_id}/quiz")>"← Module: " {title}</A></p>
        <h1>{if passed { "Passed" } else { "Not passed yet" }}</h1>
        <p class=if passed { "result pass" } else { "result fail" } role="status">
            {format!("You scored {} (pass mark {pass_mark} %).", percent(score))}
        </p>
        {needs_evaluation.then(|| view! { <Evaluation attempt_id evaluate credit=format!("{credit_amount} CME {credit_type}") has_credit={credit_amount > 0.0} /> })}
        {certificate_id.map(|id| view! {
            <section class="card certificate-ready" aria-labelledby="certificate-h">
                <h2 id="certificate-h">"Your certificate"</h2>
                <p>{format!("{credit_amount} CME {credit_type} added to your ledger.")}</p>
                <p class="actions">
                    <a href=format!("/certificates/{id}/pdf") class="button" rel="external">"Download certificate (PDF)"</a>
                    <A href=format!("/verify/{id}") attr:class="button secondary">"Verification page"</A>
                </p>
            </section>
        })}
        {(!passed && can_retake).then(|| view! {
            <form method="post" action=format!("/quiz/{case_id}/start")>
                <button type="submit" class="button">"Try again"</button>
            </form>
        })}
        <ol class="result-list">
            {questions.into_iter().map(|(text_html, review)| view! {
                <li class="card">
                    <div class="prose" inner_html=text_html></div>
                    {match review {
                        Some(review) => view! { <Review review /> }.into_any(),
                        None => view! { <p class="review wrong"><strong>"Not answered"</strong></p> }.into_any(),
                    }}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// The short activity evaluation that releases the module's credit.
#[component]
fn Evaluation(
    attempt_id: i64,
    evaluate: ServerAction<EvaluateActivity>,
    credit: String,
    has_credit: bool,
) -> impl IntoView {
    let errors = field_errors(evaluate);
    let message = move |field: &'static str| {
        move || errors.with(|e| e.as_ref().and_then(|e| e.get(field).map(str::to_owned)))
    };
    let scale = move |name: &'static str, legend: &'static str| {
        view! {
            <fieldset class="field scale" aria-describedby=format!("field-{name}-error")>
                <legend>{legend}</legend>
                {(1..=5).map(|v| {
                    let id = format!("{name}-{v}");
                    let label_for = id.clone();
                    view! {
                        <label class="choice" for=label_for>
                            <input type="radio" id=id name=name value=v required />
                            {match v { 1 => "1 (poor)".to_owned(), 5 => "5 (excellent)".to_owned(), n => n.to_string() }}
                        </label>
                    }
                }).collect_view()}
                <p class="field-error" id=format!("field-{name}-error")>{message(name)}</p>
            </fieldset>
        }
    };
    view! {
        <section class="card evaluation" aria-labelledby="evaluation-h">
            <h2 id="evaluation-h">"Activity evaluation"</h2>
            <p>{if has_credit { format!("Complete this short evaluation to receive {credit} and your certificate.") } else { "Tell the author how useful this module was.".to_owned() }}</p>
            <ActionForm action=evaluate attr:class="stack" attr:novalidate=true>
                <FormError error=Signal::derive(move || action_error(evaluate).get().filter(|e| e.field_errors().is_none() || e.field_errors().is_some_and(|f| f.get("evaluation").is_some()))) />
                <input type="hidden" name="attempt_id" value=attempt_id />
                {scale("relevance", "Relevance to your practice")}
                {scale("quality", "Quality of the case and questions")}
                <div class="field">
                    <label for="field-practice_change">"Will it change your practice?"</label>
                    <select id="field-practice_change" name="practice_change" aria-describedby="field-practice_change-error">
                        <option value="">"Choose…"</option>
                        <option value="none">"No change needed"</option>
                        <option value="considering">"I am considering a change"</option>
                        <option value="will_change">"I will change something"</option>
                        <option value="already_changed">"I have already changed"</option>
                    </select>
                    <p class="field-error" id="field-practice_change-error">{message("practice_change")}</p>
                </div>
                <crate::ui::fields::TextArea name="comments" label="Comments (optional)" errors rows=3 />
                <button type="submit" class="button">"Send evaluation"</button>
            </ActionForm>
        </section>
    }
}
