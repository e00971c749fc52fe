//! `/department/consults`: a department's admin (or a site admin, choosing the department)
//! makes the department take consults, sets its targets, names its responders, and sees how
//! the pool is doing. Every form is a plain form: the page works without JavaScript.

use super::chart::WeeklyChart;
use crate::consults::api::{get_pool_page, SetPool, SetPoolResponder};
use crate::consults::people::{PoolPage, PoolStats};
use crate::consults::Pool;
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, TextField};
use crate::ui::loader::Loaded;
use crate::util::format_datetime;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

#[derive(Clone, Copy)]
struct Actions {
    settings: ServerAction<SetPool>,
    responder: ServerAction<SetPoolResponder>,
}

#[component]
pub fn PoolAdminPage() -> impl IntoView {
    let actions = Actions {
        settings: ServerAction::new(),
        responder: ServerAction::new(),
    };
    let query = use_query_map();
    let page = Resource::new_blocking(
        move || {
            (
                query.with(|q| (q.get("department"), q.get("from"), q.get("to"))),
                actions.settings.version().get(),
                actions.responder.version().get(),
            )
        },
        |((department, from, to), ..)| {
            get_pool_page(department.and_then(|d| d.parse().ok()), from, to)
        },
    );
    view! {
        <Title text="Consult pool · Corridor" />
        <h1>"Consult pool"</h1>
        <Loaded resource=page let:data>
            <PoolView data actions />
        </Loaded>
    }
}

#[component]
fn PoolView(data: PoolPage, actions: Actions) -> impl IntoView {
    let PoolPage {
        department_id,
        department,
        departments,
        pool,
        candidates,
        stats,
        may_open,
    } = data;
    view! {
        <p class="lede">{department}</p>
        <p><a href="/department">"Back to the department dashboard"</a></p>
        {(!departments.is_empty()).then(|| view! {
            <form method="get" action="/department/consults" class="inline-form">
                <label for="department-switch">"Department"</label>
                <select id="department-switch" name="department">
                    {departments.into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=id == department_id>{name}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button small secondary">"Show"</button>
            </form>
        })}
        <Settings department_id pool=pool.clone() action=actions.settings />
        <Responders department_id pool candidates action=actions.responder />
        <Stats department_id stats may_open />
    }
}

#[component]
fn Settings(
    department_id: i64,
    pool: Option<Pool>,
    action: ServerAction<SetPool>,
) -> impl IntoView {
    let errors = field_errors(action);
    let (accepting, routine, soon, ack) = match &pool {
        Some(p) => (p.accepting, p.routine_hours, p.soon_hours, p.ack_hours),
        None => (
            true,
            crate::consults::NAMED_ROUTINE_HOURS,
            crate::consults::NAMED_SOON_HOURS,
            24,
        ),
    };
    view! {
        <section aria-labelledby="pool-settings-h">
            <h2 id="pool-settings-h">"Taking consults"</h2>
            {if pool.is_none() {
                view! { <p class="empty">"The department does not take consults yet. Save its targets to start."</p> }.into_any()
            } else if accepting {
                view! { <p class="status complete">"Taking consults"</p> }.into_any()
            } else {
                view! { <p class="status none">"Not taking consults"</p> }.into_any()
            }}
            <ActionForm action attr:class="stack narrow" attr:novalidate=true>
                <FormError error=Signal::derive(move || action_error(action).get().filter(|e| e.field_errors().is_none())) />
                <input type="hidden" name="department_id" value=department_id.to_string() />
                <div class="field">
                    <label>
                        <input type="checkbox" name="accepting" value="yes" checked=accepting />
                        " Take consults from colleagues"
                    </label>
                </div>
                <TextField name="routine_hours" label="Answer a routine consult within (hours)" kind="number"
                    errors value=Some(routine.to_string()) required=true />
                <TextField name="soon_hours" label="Answer a 'soon' consult within (hours)" kind="number"
                    errors value=Some(soon.to_string()) required=true />
                <TextField name="ack_hours" label="Accept (acknowledge) within (hours)" kind="number"
                    errors value=Some(ack.to_string()) required=true
                    hint="Past this, the department's admins are told that nobody has accepted." />
                <button type="submit" class="button">"Save"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Responders(
    department_id: i64,
    pool: Option<Pool>,
    candidates: Vec<(i64, String)>,
    action: ServerAction<SetPoolResponder>,
) -> impl IntoView {
    let errors = field_errors(action);
    let Some(pool) = pool else {
        return view! {
            <section aria-labelledby="responders-h">
                <h2 id="responders-h">"Responders"</h2>
                <p class="empty">"Save the targets first; then name who answers."</p>
            </section>
        }
        .into_any();
    };
    let user_error =
        move || errors.with(|e| e.as_ref().and_then(|e| e.get("user_id").map(str::to_owned)));
    view! {
        <section aria-labelledby="responders-h">
            <h2 id="responders-h">"Responders"</h2>
            <FormError error=Signal::derive(move || action_error(action).get().filter(|e| e.field_errors().is_none())) />
            {if pool.responders.is_empty() {
                view! { <p class="empty">"Nobody answers for the pool yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {pool.responders.into_iter().map(|(id, name)| view! {
                            <li class="card">
                                {name.clone()}
                                <ActionForm action attr:class="inline">
                                    <input type="hidden" name="department_id" value=department_id.to_string() />
                                    <input type="hidden" name="user_id" value=id.to_string() />
                                    <input type="hidden" name="add" value="false" />
                                    <button type="submit" class="button small secondary" aria-label=format!("Remove {name}")>"Remove"</button>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {if candidates.is_empty() {
                view! { <p class="meta">"Every verified member of the department answers for the pool."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action attr:class="stack narrow" attr:novalidate=true>
                        <input type="hidden" name="department_id" value=department_id.to_string() />
                        <input type="hidden" name="add" value="true" />
                        <div class="field">
                            <label for="field-user_id">"Add a responder (verified members)"</label>
                            <select id="field-user_id" name="user_id" aria-describedby="field-user_id-error">
                                {candidates.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                            </select>
                            <p class="field-error" id="field-user_id-error">{user_error}</p>
                        </div>
                        <button type="submit" class="button secondary">"Add"</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// Hours with one decimal, or a dash when there is nothing to measure.
fn hours(h: Option<f64>) -> String {
    h.map(|h| format!("{h:.1} h")).unwrap_or_else(|| "—".into())
}

#[component]
fn Stats(department_id: i64, stats: PoolStats, may_open: bool) -> impl IntoView {
    let from = stats.from.format("%Y-%m-%d").to_string();
    let to = stats.to.format("%Y-%m-%d").to_string();
    let csv = format!("/department/consults.csv?department={department_id}&from={from}&to={to}");
    let share = stats
        .within_target_percent()
        .map(|p| format!("{p}% ({} of {})", stats.within_target, stats.received))
        .unwrap_or_else(|| "—".into());
    let PoolStats {
        received,
        accepted,
        answered,
        ack_median,
        ack_p90,
        answer_median,
        answer_p90,
        weeks,
        outcomes,
        overdue,
        ..
    } = stats;
    view! {
        <section aria-labelledby="pool-stats-h">
            <h2 id="pool-stats-h">"How the pool is doing"</h2>
            <form method="get" action="/department/consults#pool-stats-h" class="search-filters">
                <input type="hidden" name="department" value=department_id.to_string() />
                <div class="field">
                    <label for="period-from">"Sent from"</label>
                    <input id="period-from" type="date" name="from" value=from.clone() />
                </div>
                <div class="field">
                    <label for="period-to">"to"</label>
                    <input id="period-to" type="date" name="to" value=to.clone() />
                </div>
                <button type="submit" class="button secondary">"Show"</button>
            </form>
            <dl class="stats">
                <dt>"Consults received"</dt><dd>{received}</dd>
                <dt>"Accepted"</dt><dd>{accepted}</dd>
                <dt>"Answered"</dt><dd>{answered}</dd>
                <dt>"Time to accept, median"</dt><dd>{hours(ack_median)}</dd>
                <dt>"Time to accept, 90th percentile"</dt><dd>{hours(ack_p90)}</dd>
                <dt>"Time to answer, median"</dt><dd>{hours(answer_median)}</dd>
                <dt>"Time to answer, 90th percentile"</dt><dd>{hours(answer_p90)}</dd>
                <dt>"Answered within the target"</dt><dd>{share}</dd>
            </dl>
            <p class="meta">"Time to answer leaves out the time spent waiting for information asked of the requester."</p>
            <WeeklyChart weeks />
            <h3>"Outcomes reported at close-out"</h3>
            {if outcomes.is_empty() {
                view! { <p class="empty">"No consult of the period was closed with an outcome."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table>
                            <thead><tr><th scope="col">"Outcome"</th><th scope="col">"Consults"</th></tr></thead>
                            <tbody>
                                {outcomes.into_iter().map(|o| view! {
                                    <tr><td>{o.outcome.label()}</td><td class="num">{o.count}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <h3>"Overdue now"</h3>
            {if overdue.is_empty() {
                view! { <p class="empty">"No open consult is past its answer time."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {overdue.into_iter().map(|c| view! {
                            <li class="card">
                                {if may_open {
                                    view! { <A href=format!("/consults/{}", c.id)>{format!("Consult #{} · {}", c.id, c.specialty)}</A> }.into_any()
                                } else {
                                    view! { <span>{format!("Consult #{} · {}", c.id, c.specialty)}</span> }.into_any()
                                }}
                                <span class="meta">
                                    {format!(" · {} · {} · due {}", c.state.label(), c.urgency.label(), format_datetime(c.due_at))}
                                    {c.responder.map(|r| format!(" · accepted by {r}"))}
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p><a href=csv rel="external" download>"Export the period's consults (CSV, no clinical text)"</a></p>
        </section>
    }
}
