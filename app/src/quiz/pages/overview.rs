//! The learner's overview of a case's module: settings, past attempts, start.

use super::{param, percent};
use crate::error::AppError;
use crate::quiz::api::get_quiz;
use crate::quiz::QuizOverview;
use crate::ui::loader::Loaded;
use crate::ui::refused::Refusal;
use crate::util::format_date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn QuizPage() -> impl IntoView {
    let id = param("id");
    let data = Resource::new_blocking(id, |id| async move {
        get_quiz(id.ok_or(AppError::NotFound)?).await
    });
    let error = id().and_then(|case_id| Refusal::of(&format!("/quiz/{case_id}/start")).message());
    view! {
        <Title text="Case module · Corridor" />
        <Loaded resource=data let:quiz>
            <Overview quiz error=error.clone() />
        </Loaded>
    }
}

#[component]
fn Overview(quiz: QuizOverview, error: Option<String>) -> impl IntoView {
    let QuizOverview {
        case_id,
        title,
        case_url,
        settings,
        question_count,
        attempts,
        open_attempt,
        blocked,
        is_author,
    } = quiz;
    let facts = [
        Some(format!("{question_count} questions")),
        Some(format!("pass mark {} %", settings.pass_mark)),
        (settings.credit_amount > 0.0).then(|| {
            format!(
                "{} CME {} on passing",
                settings.credit_amount, settings.credit_type
            )
        }),
        settings.time_limit_minutes.map(|m| format!("{m} minutes")),
        Some(match settings.attempts_allowed {
            Some(n) => format!("{n} attempts allowed"),
            None => "unlimited attempts".into(),
        }),
        Some(if settings.feedback_each() {
            "explanations after each question".to_owned()
        } else {
            "explanations at the end".to_owned()
        }),
    ];
    let facts = facts.into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let back = format!("← {title}");
    view! {
        <p class="meta"><A href=case_url>{back}</A></p>
        <h1>"Case module: " {title}</h1>
        <p class="lead">{facts}</p>
        {is_author.then(|| view! { <p><A href=format!("/cases/{case_id}/quiz/edit")>"Edit the module"</A></p> })}
        {error.map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        {match blocked {
            Some(reason) => view! { <p class="notice">{reason}</p> }.into_any(),
            None => view! {
                <form method="post" action=format!("/quiz/{case_id}/start")>
                    <button type="submit" class="button">{if open_attempt.is_some() { "Resume your attempt" } else { "Start" }}</button>
                </form>
            }.into_any(),
        }}
        {(!attempts.is_empty()).then(|| view! {
            <section aria-labelledby="attempts-h">
                <h2 id="attempts-h">"Your attempts"</h2>
                <ScoreChart attempts=attempts.iter().filter_map(|a| a.score).collect() pass_mark=settings.pass_mark />
                <div class="table-scroll">
                    <table>
                        <thead><tr><th scope="col">"Started"</th><th scope="col">"Score"</th><th scope="col">"Result"</th></tr></thead>
                        <tbody>
                            {attempts.into_iter().map(|a| view! {
                                <tr>
                                    <td><time datetime=a.started_at.to_rfc3339()>{format_date(a.started_at)}</time></td>
                                    <td>{a.score.map(percent).unwrap_or_else(|| "—".into())}</td>
                                    <td>{match (a.submitted_at, a.passed) {
                                        (None, _) => view! { <A href=format!("/quiz/attempts/{}/1", a.id)>"In progress"</A> }.into_any(),
                                        (Some(_), Some(true)) => view! { <A href=format!("/quiz/attempts/{}/result", a.id)>"Passed"</A> }.into_any(),
                                        _ => view! { <A href=format!("/quiz/attempts/{}/result", a.id)>"Not passed"</A> }.into_any(),
                                    }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        })}
    }
}

/// Scores of past attempts as bars against the pass mark: progress at a glance.
#[component]
fn ScoreChart(attempts: Vec<f64>, pass_mark: i32) -> impl IntoView {
    let n = attempts.len();
    (n > 0).then(|| {
        let bar = 28.0;
        let gap = 10.0;
        let width = (n as f64) * (bar + gap) + gap;
        let pass_y = 100.0 - pass_mark as f64;
        // Oldest first, left to right.
        let bars = attempts
            .into_iter()
            .rev()
            .enumerate()
            .map(|(i, s)| {
                let h = (s * 100.0).clamp(0.0, 100.0);
                let x = gap + i as f64 * (bar + gap);
                let class = if h + 1e-9 >= pass_mark as f64 { "bar pass" } else { "bar fail" };
                view! { <rect class=class x=x y=100.0 - h width=bar height=h.max(1.0) /> }
            })
            .collect_view();
        view! {
            <svg class="score-chart" viewBox=format!("0 0 {width} 104") role="img"
                aria-label=format!("Scores of your {n} attempts against the pass mark of {pass_mark} %")
                preserveAspectRatio="xMinYMid meet">
                {bars}
                <line x1="0" x2=width y1=pass_y y2=pass_y class="pass-line" />
            </svg>
        }
    })
}
