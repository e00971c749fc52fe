//! Case modules: the author's editor, the learner's overview, one page per question, the
//! result. Taking a quiz uses plain forms (one question per page), so it works without
//! JavaScript.

use crate::cme::api::EvaluateActivity;
use crate::error::AppError;
use crate::quiz::api::{
    get_attempt_question, get_attempt_result, get_quiz, get_quiz_editor, DeleteQuestion,
    ImportGift, RetireQuestion, SaveQuizSettings,
};
use crate::quiz::{
    AnswerReview, AttemptQuestion, AttemptResult, QuestionKind, QuizEditorData, QuizOverview,
    Response,
};
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, TextField};
use crate::ui::loader::Loaded;
use crate::ui::refused::Refusal;
use crate::util::format_date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

fn percent(v: f64) -> String {
    format!("{:.0} %", v * 100.0)
}

fn param(name: &'static str) -> impl Fn() -> Option<i64> + Copy {
    let params = use_params_map();
    move || params.with(|p| p.get(name).and_then(|v| v.parse::<i64>().ok()))
}

#[component]
pub fn QuizEditorPage() -> impl IntoView {
    let id = param("id");
    let settings = ServerAction::<SaveQuizSettings>::new();
    let import = ServerAction::<ImportGift>::new();
    let delete = ServerAction::<DeleteQuestion>::new();
    let retire = ServerAction::<RetireQuestion>::new();
    let data = Resource::new_blocking(
        move || {
            (
                id(),
                settings.version().get(),
                import.version().get(),
                delete.version().get(),
                retire.version().get(),
            )
        },
        |(id, ..)| async move { get_quiz_editor(id.ok_or(AppError::NotFound)?).await },
    );
    view! {
        <Title text="Case module · Corridor" />
        <Loaded resource=data let:data>
            <QuizEditor data settings import delete retire />
        </Loaded>
    }
}

#[component]
fn QuizEditor(
    data: QuizEditorData,
    settings: ServerAction<SaveQuizSettings>,
    import: ServerAction<ImportGift>,
    delete: ServerAction<DeleteQuestion>,
    retire: ServerAction<RetireQuestion>,
) -> impl IntoView {
    let QuizEditorData {
        case_id,
        title,
        images,
        exists,
        settings: s,
        questions,
        answered,
        stats,
        gift,
    } = data;
    let offered = questions.iter().filter(|q| q.retired_at.is_none()).count();
    let retired = questions.len() - offered;
    let errors = field_errors(settings);
    let import_errors = field_errors(import);
    let skipped = move || match import.value().get() {
        Some(Ok(skipped)) => Some(view! {
            <div class="notice" role="status">
                <p>"Questions imported."</p>
                {(!skipped.is_empty()).then(|| view! {
                    <p>"Skipped (not supported):"</p>
                    <ul>{skipped.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                })}
            </div>
        }),
        _ => None,
    };
    let settings_done = move || {
        settings
            .value()
            .with(|v| matches!(v, Some(Ok(()))))
            .then(|| {
                view! { <p class="notice" role="status">"Settings saved."</p> }
            })
    };
    let opt = |v: Option<i32>| v.map(|n| n.to_string());
    view! {
        <p class="meta"><A href=format!("/cases/{case_id}")>"← " {title.clone()}</A></p>
        <h1>"Case module"</h1>
        <p class="lead">"Questions learners answer after reading the case. Passing earns the credit set below."</p>
        {exists.then(|| view! { <p><A href=format!("/cases/{case_id}/quiz")>"Open the module as a learner sees it"</A></p> })}

        <section aria-labelledby="settings-h">
            <h2 id="settings-h">"Settings"</h2>
            <ActionForm action=settings attr:class="stack narrow" attr:novalidate=true>
                <FormError error=action_error(settings) />
                <input type="hidden" name="case_id" value=case_id />
                <TextField name="pass_mark" label="Pass mark (%)" kind="number" errors value=Some(s.pass_mark.to_string()) required=true />
                <div class="field">
                    <label for="field-feedback_mode">"Explanations"</label>
                    <select id="field-feedback_mode" name="feedback_mode">
                        <option value="each" selected=s.feedback_each>"After each question"</option>
                        <option value="end" selected=!s.feedback_each>"Only at the end"</option>
                    </select>
                </div>
                <TextField name="attempts_allowed" label="Attempts allowed" kind="number" errors value=opt(s.attempts_allowed)
                    hint="Empty: unlimited." />
                <TextField name="credit_amount" label="Credit for passing" errors value=Some(s.credit_amount.to_string()) required=true />
                <div class="field">
                    <label for="field-credit_type">"Credit type"</label>
                    <select id="field-credit_type" name="credit_type">
                        <option value="points" selected=s.credit_type == "points">"Points"</option>
                        <option value="hours" selected=s.credit_type == "hours">"Hours"</option>
                    </select>
                </div>
                <TextField name="time_limit_minutes" label="Time limit (minutes)" kind="number" errors value=opt(s.time_limit_minutes)
                    hint="Empty: no limit." />
                <button type="submit" class="button">{if exists { "Save settings" } else { "Create module" }}</button>
                {settings_done}
            </ActionForm>
        </section>

        <section aria-labelledby="import-h">
            <h2 id="import-h">"Add questions (Moodle GIFT)"</h2>
            <p class="hint">"Paste questions in GIFT: " <code>"::Name:: Question {=right ~wrong#feedback}"</code>
                ", " <code>"{T}"</code> ", " <code>"{=answer =variant}"</code> " for short answers, "
                <code>"~%50%"</code> " weights for multiple response, " <code>"####"</code> " for the explanation, and a line " <code>"// [tag:objective]"</code> " before a question for its learning objective."</p>
            <ActionForm action=import attr:class="stack" attr:novalidate=true>
                <FormError error=Signal::derive(move || action_error(import).get().filter(|e| e.field_errors().is_none())) />
                <input type="hidden" name="case_id" value=case_id />
                <crate::ui::fields::TextArea name="gift" label="GIFT" errors=import_errors rows=8 required=true />
                <button type="submit" class="button secondary">"Import questions"</button>
            </ActionForm>
            {skipped}
        </section>

        <section aria-labelledby="hotspot-h">
            <h2 id="hotspot-h">"Add an image hotspot question"</h2>
            {if images.is_empty() {
                view! { <p class="empty">"Upload an image to the case first (Images page)."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {images.into_iter().map(|(id, alt)| view! {
                            <li><A href=format!("/cases/{case_id}/quiz/hotspot/{id}")>{format!("On “{alt}”")}</A></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>

        <section aria-labelledby="questions-h">
            <h2 id="questions-h">{format!("Questions ({offered})")}</h2>
            {(retired > 0).then(|| view! {
                <p class="hint">{format!("{retired} retired: kept in earlier attempts and their analysis, no longer offered.")}</p>
            })}
            <FormError error=action_error(delete) />
            <FormError error=action_error(retire) />
            {if questions.is_empty() {
                view! { <p class="empty">"No questions yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="question-list">
                        {questions.into_iter().map(|sq| {
                            let stat = stats.iter().find(|s| s.question_id == sq.id).cloned();
                            let has_answers = answered.contains(&sq.id);
                            let retired_at = sq.retired_at;
                            let q = sq.question;
                            let name = if q.name.is_empty() { q.text.chars().take(40).collect() } else { q.name.clone() };
                            // Delete while nobody has answered; after that, retire (answers are
                            // learners' records).
                            let action = match (retired_at, has_answers) {
                                (Some(when), _) => view! {
                                    <p class="meta retired-note">
                                        <strong>"Retired"</strong> " on " <time datetime=when.to_rfc3339()>{format_date(when)}</time>
                                        ": not offered in new attempts."
                                    </p>
                                }.into_any(),
                                (None, true) => view! {
                                    <ActionForm action=retire attr:class="inline">
                                        <input type="hidden" name="case_id" value=case_id />
                                        <input type="hidden" name="question_id" value=sq.id />
                                        <button type="submit" class="button small secondary" aria-label=format!("Retire question: {name}")>"Retire"</button>
                                        <span class="hint">" Learners have answered it: retiring keeps their records."</span>
                                    </ActionForm>
                                }.into_any(),
                                (None, false) => view! {
                                    <ActionForm action=delete attr:class="inline">
                                        <input type="hidden" name="case_id" value=case_id />
                                        <input type="hidden" name="question_id" value=sq.id />
                                        <button type="submit" class="button small secondary" aria-label=format!("Delete question: {name}")>"Delete"</button>
                                    </ActionForm>
                                }.into_any(),
                            };
                            view! {
                                <li class="card" class:retired=retired_at.is_some()>
                                    <p class="meta">{retired_at.is_some().then(|| view! { <span class="tag">"Retired"</span> " · " })}
                                        {q.kind.label()} {(!q.name.is_empty()).then(|| format!(" · {}", q.name))}
                                        {(!q.objective.is_empty()).then(|| view! { " · " <span class="tag">{format!("objective: {}", q.objective)}</span> })}</p>
                                    <p>{q.text.clone()}</p>
                                    <ul class="answers">
                                        {q.answers.iter().map(|a| view! {
                                            <li>{format!("{} ({} %)", a.text, a.weight)}</li>
                                        }).collect_view()}
                                    </ul>
                                    {stat.filter(|s| s.answered > 0).map(|s| view! {
                                        <p class="meta item-stats">
                                            {format!("{} answered · {} fully correct", s.answered, percent(s.correct))}
                                            {s.discrimination.map(|d| format!(" · discrimination {d:+.2}"))}
                                            {s.top_wrong.map(|(t, n)| format!(" · most chosen wrong: “{t}” ({n})"))}
                                        </p>
                                    })}
                                    {action}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <details>
                        <summary>"Export as GIFT"</summary>
                        <label class="visually-hidden" for="gift-export">"The questions as GIFT"</label>
                        <textarea id="gift-export" readonly rows="10">{gift}</textarea>
                    </details>
                }.into_any()
            }}
        </section>
    }
}

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
        Some(if settings.feedback_each {
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

/// Feedback on one answer: right or not, the options' feedback, the explanation, the correct
/// answer and how other learners answered (as bars).
#[component]
fn Review(review: AnswerReview) -> impl IntoView {
    let AnswerReview {
        fraction,
        feedback,
        explanation_html,
        correct,
        distribution,
        ..
    } = review;
    let (verdict, class) = if fraction >= 1.0 - 1e-9 {
        ("Correct".to_owned(), "review correct")
    } else if fraction > 0.0 {
        (
            format!("Partly correct ({})", percent(fraction)),
            "review partial",
        )
    } else {
        ("Not correct".to_owned(), "review wrong")
    };
    let total: i64 = distribution.iter().map(|(_, n)| n).sum();
    let chart_label = distribution
        .iter()
        .map(|(t, n)| format!("{t}: {n}"))
        .collect::<Vec<_>>()
        .join("; ");
    let chart_box = format!("0 0 300 {}", distribution.len() * 22);
    view! {
        <section class=class aria-label="Feedback">
            <p class="verdict"><strong>{verdict}</strong></p>
            {feedback.into_iter().map(|f| view! { <p>{f}</p> }).collect_view()}
            <p>"Answer: " {correct.join("; ")}</p>
            <div class="prose" inner_html=explanation_html></div>
            {(total > 0).then(|| view! {
                <figure class="distribution">
                    <figcaption>{format!("How learners answered ({total})")}</figcaption>
                    <svg viewBox=chart_box role="img" aria-label=chart_label>
                        {distribution.iter().enumerate().map(|(i, (label, n))| {
                            let w = if total > 0 { 180.0 * *n as f64 / total as f64 } else { 0.0 };
                            let y = i as f64 * 22.0;
                            let short: String = label.chars().take(18).collect();
                            view! {
                                <text x="0" y=y + 15.0 font-size="12">{short}</text>
                                <rect x="110" y=y + 4.0 width=w.max(1.0) height="14" class="bar" />
                                <text x=114.0 + w y=y + 15.0 font-size="12">{*n}</text>
                            }
                        }).collect_view()}
                    </svg>
                </figure>
            })}
        </section>
    }
}

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
