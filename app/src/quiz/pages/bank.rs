//! `/quiz/bank`: the mentor's question bank. Search by text, tag, objective and type (a plain
//! GET form), tag questions, add them to a module, delete unused ones, and see how each
//! question was answered in every module it served. Opened from a module's editor
//! (`?module=<case id>`), it builds that module. Plain forms (no island): each post comes back
//! here, at the question.

use super::percent;
use crate::quiz::api::{get_bank, AddFromBank, DeleteFromBank, SaveBankTags};
use crate::quiz::bank::{BankFilter, BankPage, BankQuestion};
use crate::quiz::QuestionKind;
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors};
use crate::ui::loader::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// The search and page the address asks for.
#[derive(Debug, Clone, PartialEq)]
struct BankQuery {
    filter: BankFilter,
    before: Option<i64>,
    module: Option<i64>,
}

impl BankQuery {
    /// The address of this search, `before` another page.
    fn href(&self, before: Option<i64>) -> String {
        let f = &self.filter;
        let mut parts: Vec<(&str, String)> = vec![
            ("text", f.text.clone()),
            ("tag", f.tag.clone()),
            ("objective", f.objective.clone()),
            (
                "kind",
                f.kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
            ),
        ];
        if let Some(m) = self.module {
            parts.push(("module", m.to_string()));
        }
        if let Some(b) = before {
            parts.push(("before", b.to_string()));
        }
        let query: Vec<String> = parts
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::util::url_encode(&v)))
            .collect();
        if query.is_empty() {
            "/quiz/bank".to_owned()
        } else {
            format!("/quiz/bank?{}", query.join("&"))
        }
    }
}

#[component]
pub fn QuestionBankPage() -> impl IntoView {
    let query = use_query_map();
    let asked = move || {
        query.with(|q| {
            let text = |k: &str| q.get(k).unwrap_or_default();
            BankQuery {
                filter: BankFilter {
                    text: text("text"),
                    tag: text("tag"),
                    objective: text("objective"),
                    kind: q.get("kind").and_then(|k| QuestionKind::parse(&k)),
                },
                before: q.get("before").and_then(|b| b.parse().ok()),
                module: q.get("module").and_then(|m| m.parse().ok()),
            }
        })
    };
    let tags = ServerAction::<SaveBankTags>::new();
    let add = ServerAction::<AddFromBank>::new();
    let delete = ServerAction::<DeleteFromBank>::new();
    let data = Resource::new_blocking(
        move || {
            (
                asked(),
                tags.version().get(),
                add.version().get(),
                delete.version().get(),
            )
        },
        |(q, ..)| async move { get_bank(q.filter, q.before, q.module).await },
    );
    view! {
        <Title text="Question bank · Corridor" />
        <Loaded resource=data let:page>
            <Bank page asked=asked() tags add delete />
        </Loaded>
    }
}

#[component]
fn Bank(
    page: BankPage,
    asked: BankQuery,
    tags: ServerAction<SaveBankTags>,
    add: ServerAction<AddFromBank>,
    delete: ServerAction<DeleteFromBank>,
) -> impl IntoView {
    let BankPage {
        questions,
        next,
        tags: all_tags,
        modules,
        target,
        in_target,
    } = page;
    // Where each form comes back to: this very page.
    let back = asked.href(asked.before);
    let f = asked.filter.clone();
    let searched = !f.is_empty();
    let older = next.map(|n| asked.href(Some(n)));
    let first = asked.before.map(|_| asked.href(None));
    let empty = questions.is_empty();
    let cards = questions
        .into_iter()
        .map(|q| {
            let in_module = in_target.contains(&q.id);
            view! {
                <BankCard q target=target.as_ref().map(|t| t.0) in_module modules=modules.clone()
                    back=back.clone() tags add delete />
            }
        })
        .collect_view();
    view! {
        <h1>"Question bank"</h1>
        <p class="lead">"Every question you write or import is kept here with its learning objective and tags. Build a module by adding questions from it; one question can serve several modules, and its answers are counted in each."</p>
        {target.clone().map(|(case_id, title)| view! {
            <p class="notice" role="status">
                "Adding questions to the module of “" {title} "”. "
                <A href=format!("/cases/{case_id}/quiz/edit")>"Back to the module"</A>
            </p>
        })}
        <form method="get" action="/quiz/bank" class="bank-search" role="search" aria-label="Search your questions">
            {asked.module.map(|m| view! { <input type="hidden" name="module" value=m /> })}
            <div class="field">
                <label for="bank-text">"Words in the question"</label>
                <input id="bank-text" name="text" type="search" value=f.text.clone() />
            </div>
            <div class="field">
                <label for="bank-objective">"Objective"</label>
                <input id="bank-objective" name="objective" type="search" value=f.objective.clone() />
            </div>
            <div class="field">
                <label for="bank-tag">"Tag"</label>
                <select id="bank-tag" name="tag">
                    <option value="" selected=f.tag.is_empty()>"Any tag"</option>
                    {all_tags.into_iter().map(|t| {
                        let selected = t.to_lowercase() == f.tag.trim().to_lowercase();
                        view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="bank-kind">"Type"</label>
                <select id="bank-kind" name="kind">
                    <option value="" selected=f.kind.is_none()>"Any type"</option>
                    {QuestionKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=f.kind == Some(k)>{k.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button secondary">"Search"</button>
        </form>
        <FormError error=Signal::derive(move || action_error(tags).get().filter(|e| e.field_errors().is_none())) />
        <FormError error=action_error(add) />
        <FormError error=action_error(delete) />
        {if empty {
            view! {
                <p class="empty">{if searched {
                    "No question matches. Try fewer words or another tag."
                } else {
                    "No questions yet. Write or import them in a case's module; they are kept here."
                }}</p>
            }.into_any()
        } else {
            view! { <ol class="question-list bank-list">{cards}</ol> }.into_any()
        }}
        <nav class="pager" aria-label="More questions">
            {first.map(|href| view! { <A href=href>"Newest questions"</A> })}
            {older.map(|href| view! { <A href=href>"Older questions"</A> })}
        </nav>
    }
}

#[component]
fn BankCard(
    q: BankQuestion,
    /// The case whose module the bank is building, if any.
    target: Option<i64>,
    in_module: bool,
    modules: Vec<(i64, String)>,
    back: String,
    tags: ServerAction<SaveBankTags>,
    add: ServerAction<AddFromBank>,
    delete: ServerAction<DeleteFromBank>,
) -> impl IntoView {
    let (answers, full) = q.totals();
    let BankQuestion {
        id,
        question,
        tags: stored_tags,
        in_attempts,
        uses,
        ..
    } = q;
    let name = if question.name.is_empty() {
        question.text.chars().take(40).collect()
    } else {
        question.name.clone()
    };
    let tag_field = format!("tags-{id}");
    let tag_errors = field_errors(tags);
    let error_key = StoredValue::new(tag_field.clone());
    let tag_error = move || {
        tag_errors.with(|e| {
            e.as_ref()
                .and_then(|e| error_key.with_value(|k| e.get(k).map(str::to_owned)))
        })
    };
    let typed_tags = {
        let tag_field = tag_field.clone();
        tag_errors
            .with_untracked(|e| {
                e.as_ref()
                    .and_then(|e| e.value(&tag_field))
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| stored_tags.join(", "))
    };
    // Edited in a module that offers it (its form comes back to that module's editor).
    let edit = uses
        .iter()
        .find(|u| u.offered)
        .filter(|_| question.kind != QuestionKind::Hotspot)
        .map(|u| {
            view! {
                <A href=format!("/cases/{}/quiz/questions/{id}", u.case_id) attr:class="button small secondary"
                    attr:aria-label=format!("Edit question: {name}")>"Edit"</A>
            }
        });
    let (back_add, name_add) = (back.clone(), name.clone());
    let adding = match target {
        Some(case_id) if !in_module => Some(view! {
            <ActionForm action=add attr:class="inline">
                <input type="hidden" name="case_id" value=case_id />
                <input type="hidden" name="question_id" value=id />
                <input type="hidden" name="back" value=back_add.clone() />
                <button type="submit" class="button small" aria-label=format!("Add to this module: {name_add}")>"Add to this module"</button>
            </ActionForm>
        }.into_any()),
        Some(_) => Some(view! { <p class="meta"><span class="tag">"In this module"</span></p> }.into_any()),
        None if !modules.is_empty() => {
            let select_id = format!("add-{id}");
            Some(view! {
                <ActionForm action=add attr:class="inline bank-add">
                    <input type="hidden" name="question_id" value=id />
                    <input type="hidden" name="back" value=back_add.clone() />
                    <label for=select_id.clone()>"Module of"</label>
                    <select id=select_id name="case_id">
                        {modules.into_iter().map(|(case_id, title)| view! {
                            <option value=case_id>{title}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button small secondary" aria-label=format!("Add to the chosen module: {name_add}")>"Add"</button>
                </ActionForm>
            }.into_any())
        }
        None => None,
    };
    let (back_delete, name_delete) = (back.clone(), name.clone());
    let deleting = (uses.is_empty() && !in_attempts).then(move || {
        view! {
            <ActionForm action=delete attr:class="inline">
                <input type="hidden" name="question_id" value=id />
                <input type="hidden" name="back" value=back_delete />
                <button type="submit" class="button small secondary" aria-label=format!("Delete from the bank: {name_delete}")>"Delete"</button>
            </ActionForm>
        }
    });
    let many = uses.len() > 1;
    let unused = uses.is_empty();
    view! {
        <li class="card" id=format!("bank-{id}")>
            <p class="meta">{question.kind.label()} {(!question.name.is_empty()).then(|| format!(" · {}", question.name))}
                {(!question.objective.is_empty()).then(|| view! { " · " <span class="tag">{format!("objective: {}", question.objective)}</span> })}</p>
            <p>{question.text.clone()}</p>
            {(!question.answers.is_empty()).then(|| view! {
                <ul class="answers">
                    {question.answers.iter().map(|a| view! { <li>{format!("{} ({} %)", a.text, a.weight)}</li> }).collect_view()}
                </ul>
            })}
            {if unused {
                view! { <p class="meta">"Not in a module yet."</p> }.into_any()
            } else {
                view! {
                    <div class="bank-uses">
                        <p class="meta">{if many { "Serves these modules:" } else { "Serves the module of:" }}</p>
                        <ul>
                            {uses.into_iter().map(|u| view! {
                                <li>
                                    <A href=format!("/cases/{}/quiz/edit", u.case_id)>{u.title}</A>
                                    {(!u.offered).then_some(" (retired from it)")}
                                    " — " {answered(u.answers, u.full_credit)}
                                </li>
                            }).collect_view()}
                        </ul>
                        {many.then(|| view! { <p class="meta item-stats">"All modules: " {answered(answers, full)}</p> })}
                    </div>
                }.into_any()
            }}
            <ActionForm action=tags attr:class="bank-tags" attr:novalidate=true>
                <input type="hidden" name="question_id" value=id />
                <input type="hidden" name="back" value=back.clone() />
                <div class="field" class:has-error=move || tag_error().is_some()>
                    <label for=tag_field.clone()>"Tags"</label>
                    <input id=tag_field.clone() name="tags" value=typed_tags
                        aria-describedby=format!("{tag_field}-hint {tag_field}-error")
                        aria-invalid=move || tag_error().is_some().to_string() />
                    <p class="hint" id=format!("{tag_field}-hint")>"Separated by commas, e.g. ECG, arrhythmia."</p>
                    <p class="field-error" id=format!("{tag_field}-error") aria-live="polite">{tag_error}</p>
                </div>
                <button type="submit" class="button small secondary" aria-label=format!("Save tags: {name}")>"Save tags"</button>
            </ActionForm>
            <div class="question-actions">
                {edit}
                {adding}
                {deleting}
            </div>
        </li>
    }
}

/// "12 answers · 75 % fully correct", or that nobody has answered yet.
fn answered(answers: i64, full: i64) -> String {
    if answers == 0 {
        "not answered yet".to_owned()
    } else {
        format!(
            "{answers} answer{} · {} fully correct",
            if answers == 1 { "" } else { "s" },
            percent(full as f64 / answers as f64)
        )
    }
}
