//! The author's module editor: settings, questions (GIFT and Moodle XML import and export),
//! retiring.

use super::{param, percent};
use crate::cme::CreditType;
use crate::error::AppError;
use crate::quiz::api::{
    get_quiz_editor, DeleteQuestion, DuplicateQuestion, ImportGift, MoveQuestion, RetireQuestion,
    SaveQuizSettings,
};
use crate::quiz::QuizEditorData;
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, TextField};
use crate::ui::loader::Loaded;
use crate::ui::refused::Refusal;
use crate::util::format_date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn QuizEditorPage() -> impl IntoView {
    let id = param("id");
    let settings = ServerAction::<SaveQuizSettings>::new();
    let import = ServerAction::<ImportGift>::new();
    let delete = ServerAction::<DeleteQuestion>::new();
    let retire = ServerAction::<RetireQuestion>::new();
    let moves = ServerAction::<MoveQuestion>::new();
    let duplicate = ServerAction::<DuplicateQuestion>::new();
    let data = Resource::new_blocking(
        move || {
            (
                id(),
                settings.version().get(),
                import.version().get(),
                delete.version().get(),
                retire.version().get(),
                moves.version().get(),
                duplicate.version().get(),
            )
        },
        |(id, ..)| async move { get_quiz_editor(id.ok_or(AppError::NotFound)?).await },
    );
    view! {
        <Title text="Case module · Corridor" />
        <Loaded resource=data let:data>
            <QuizEditor data settings import delete retire moves duplicate />
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
    moves: ServerAction<MoveQuestion>,
    duplicate: ServerAction<DuplicateQuestion>,
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
    // Both forms are plain posts (this page has no island): saving and importing come back
    // here saying what happened in the query.
    let query = leptos_router::hooks::use_query_map();
    let (saved, imported, skipped) = query.with_untracked(|q| {
        (
            q.get("saved").is_some(),
            q.get("imported").is_some(),
            q.get_all("skipped").unwrap_or_default(),
        )
    });
    let skipped = imported.then(|| {
        view! {
            <div class="notice" role="status">
                <p>"Questions imported."</p>
                {(!skipped.is_empty()).then(|| view! {
                    <p>"Skipped (not supported):"</p>
                    <ul>{skipped.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                })}
            </div>
        }
    });
    // A question file posted without JavaScript and refused comes back with the problem.
    let file_import = Refusal::of(&format!("/cases/{case_id}/quiz/import"));
    let file_error = file_import.field("file");
    let file_form_error = file_import.field("form");
    let settings_done =
        saved.then(|| view! { <p class="notice" role="status">"Settings saved."</p> });
    let opt = |v: Option<i32>| v.map(|n| n.to_string());
    view! {
        <p class="meta"><A href=format!("/cases/{case_id}")>"← " {title.clone()}</A></p>
        <h1>"Case module"</h1>
        <p class="lead">"Questions learners answer after reading the case. Passing earns the credit set below."</p>
        {exists.then(|| view! {
            <p>
                <A href=format!("/cases/{case_id}/quiz/preview")>"Preview as a learner"</A>
                " (nothing is saved) · "
                <A href=format!("/cases/{case_id}/quiz")>"Open the module as a learner sees it"</A>
            </p>
        })}

        <section aria-labelledby="settings-h">
            <h2 id="settings-h">"Settings"</h2>
            <ActionForm action=settings attr:class="stack narrow" attr:novalidate=true>
                <FormError error=action_error(settings) />
                <input type="hidden" name="case_id" value=case_id />
                <TextField name="pass_mark" label="Pass mark (%)" kind="number" errors value=Some(s.pass_mark.to_string()) required=true />
                <div class="field">
                    <label for="field-feedback_mode">"Explanations"</label>
                    <select id="field-feedback_mode" name="feedback_mode">
                        <option value="each" selected=s.feedback_each()>"After each question"</option>
                        <option value="end" selected=!s.feedback_each()>"Only at the end"</option>
                    </select>
                </div>
                <TextField name="attempts_allowed" label="Attempts allowed" kind="number" errors value=opt(s.attempts_allowed)
                    hint="Empty: unlimited." />
                <TextField name="credit_amount" label="Credit for passing" errors value=Some(s.credit_amount.to_string()) required=true />
                <div class="field">
                    <label for="field-credit_type">"Credit type"</label>
                    <select id="field-credit_type" name="credit_type">
                        <option value="points" selected=s.credit_type == CreditType::Points>"Points"</option>
                        <option value="hours" selected=s.credit_type == CreditType::Hours>"Hours"</option>
                    </select>
                </div>
                <TextField name="time_limit_minutes" label="Time limit (minutes)" kind="number" errors value=opt(s.time_limit_minutes)
                    hint="Empty: no limit." />
                <button type="submit" class="button">{if exists { "Save settings" } else { "Create module" }}</button>
                {settings_done}
            </ActionForm>
        </section>

        <section aria-labelledby="write-h">
            <h2 id="write-h">"Write a question"</h2>
            <ul class="plain-list">
                {crate::quiz::api::FORM_KINDS.into_iter().map(|k| view! {
                    <li><A href=format!("/cases/{case_id}/quiz/questions/new?kind={}", k.as_str())>{k.label()}</A></li>
                }).collect_view()}
            </ul>
        </section>

        <section aria-labelledby="bank-h">
            <h2 id="bank-h">"Add from your question bank"</h2>
            <p>
                <A href=format!("/quiz/bank?module={case_id}")>"Choose questions from your bank"</A>
                " — every question you have written or imported, searchable by words, tag, objective and type. A question can serve several modules."
            </p>
        </section>

        <section aria-labelledby="import-h">
            <h2 id="import-h">"Add questions (GIFT or Moodle XML)"</h2>
            <p class="hint">"Paste questions in GIFT: " <code>"::Name:: Question {=right ~wrong#feedback}"</code>
                ", " <code>"{T}"</code> ", " <code>"{=answer =variant}"</code> " for short answers, "
                <code>"~%50%"</code> " weights for multiple response, " <code>"####"</code> " for the explanation, and a line " <code>"// [tag:objective]"</code> " before a question for its learning objective. "
                "A Moodle XML export (starting " <code>"<?xml"</code> " or " <code>"<quiz>"</code> ") can be pasted too."</p>
            <ActionForm action=import attr:class="stack" attr:novalidate=true>
                <FormError error=Signal::derive(move || action_error(import).get().filter(|e| e.field_errors().is_none())) />
                <input type="hidden" name="case_id" value=case_id />
                <crate::ui::fields::TextArea name="gift" label="GIFT or Moodle XML" errors=import_errors rows=8 required=true />
                <button type="submit" class="button secondary">"Import questions"</button>
            </ActionForm>
            <form method="post" action=format!("/cases/{case_id}/quiz/import") enctype="multipart/form-data" class="stack narrow" novalidate>
                {file_form_error.map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <div class="field" class:has-error=file_error.is_some()>
                    <label for="field-file">"Or import a file"</label>
                    <input id="field-file" type="file" name="file" accept=".xml,.gift,.txt,application/xml,text/xml,text/plain" required
                        aria-describedby="field-file-hint field-file-error" aria-invalid=file_error.is_some().to_string() />
                    <p class="hint" id="field-file-hint">"A Moodle XML export of a question bank (multiple choice, true/false and short answer come across; other types are listed as skipped) or a GIFT file, up to 256 KB."</p>
                    <p class="field-error" id="field-file-error" aria-live="polite">{file_error.clone()}</p>
                </div>
                <button type="submit" class="button secondary">"Import file"</button>
            </form>
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
            <FormError error=action_error(moves) />
            <FormError error=action_error(duplicate) />
            {if questions.is_empty() {
                view! { <p class="empty">"No questions yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="question-list">
                        {questions.into_iter().scan(0usize, |place, sq| {
                            // The place among offered questions (retired ones do not move).
                            let here = sq.retired_at.is_none().then(|| { *place += 1; *place });
                            Some((here, sq))
                        }).map(|(here, sq)| {
                            let stat = stats.iter().find(|s| s.question_id == sq.id).cloned();
                            let has_answers = answered.contains(&sq.id);
                            let retired_at = sq.retired_at;
                            let q = sq.question;
                            let name = if q.name.is_empty() { q.text.chars().take(40).collect() } else { q.name.clone() };
                            let edit = (retired_at.is_none() && q.kind != crate::quiz::QuestionKind::Hotspot).then(|| view! {
                                <A href=format!("/cases/{case_id}/quiz/questions/{}", sq.id) attr:class="button small secondary" attr:aria-label=format!("Edit question: {}", name)>"Edit"</A>
                            });
                            let arrange = |direction: &'static str, label: String, shown: bool| shown.then(|| view! {
                                <ActionForm action=moves attr:class="inline">
                                    <input type="hidden" name="case_id" value=case_id />
                                    <input type="hidden" name="question_id" value=sq.id />
                                    <input type="hidden" name="direction" value=direction />
                                    <button type="submit" class="button small secondary" aria-label=label>{format!("Move {direction}")}</button>
                                </ActionForm>
                            });
                            let up = arrange("up", format!("Move question up: {name}"), here.is_some_and(|h| h > 1));
                            let down = arrange("down", format!("Move question down: {name}"), here.is_some_and(|h| h < offered));
                            let copy_label = format!("Duplicate question: {name}");
                            let copy = view! {
                                <ActionForm action=duplicate attr:class="inline">
                                    <input type="hidden" name="case_id" value=case_id />
                                    <input type="hidden" name="question_id" value=sq.id />
                                    <button type="submit" class="button small secondary" aria-label=copy_label>"Duplicate"</button>
                                </ActionForm>
                            };
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
                                        <span class="hint">" It is in learners' attempts: retiring keeps their records."</span>
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
                                <li class="card" class:retired=retired_at.is_some() id=format!("question-{}", sq.id)>
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
                                    <div class="question-actions">
                                        {edit}
                                        {up}
                                        {down}
                                        {copy}
                                        {action}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <p class="actions">
                        <a href=format!("/cases/{case_id}/quiz/export.xml") download>"Download as Moodle XML"</a>
                        " · "
                        <a href=format!("/cases/{case_id}/quiz/export.gift") download>"Download as GIFT"</a>
                    </p>
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
