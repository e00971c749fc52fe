//! `/department`: the department admin's dashboard: members' credit and module assignments.

use crate::cme::api::{DecideClaim, RevokeCertificate};
use crate::cme::ClaimStatus;
use crate::department::api::{get_dashboard, AssignModule, Dashboard, MemberProgress};
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, TextField};
use crate::ui::loader::Loaded;
use crate::util::url_encode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::cme::pages::amount;
#[component]
pub fn DepartmentPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            (
                q.get("role").unwrap_or_default(),
                q.get("status").unwrap_or_default(),
                q.get("after"),
            )
        })
    };
    let claim_filter = move || query.with(|q| (q.get("claim_status"), q.get("claims_after")));
    let assign = ServerAction::<AssignModule>::new();
    let decide = ServerAction::<DecideClaim>::new();
    let revoke = ServerAction::<RevokeCertificate>::new();
    let data = Resource::new_blocking(
        move || {
            (
                filter(),
                claim_filter(),
                assign.version().get(),
                decide.version().get(),
                revoke.version().get(),
            )
        },
        |((role, status, after), (claim_status, claims_after), ..)| {
            get_dashboard(role, status, after, claim_status, claims_after)
        },
    );
    let body = move |d: Dashboard| {
        let (role, status, _) = filter();
        let claim_status = claim_filter().0.unwrap_or_default();
        view! { <DashboardView d role status claim_status assign decide revoke /> }
    };
    view! {
        <Title text="Department · Corridor" />
        <Loaded resource=data children=body />
    }
}

#[component]
fn DashboardView(
    d: Dashboard,
    role: String,
    status: String,
    /// The claims queue's filter as the link gave it ("" for claims waiting).
    claim_status: String,
    assign: ServerAction<AssignModule>,
    decide: ServerAction<DecideClaim>,
    revoke: ServerAction<RevokeCertificate>,
) -> impl IntoView {
    let Dashboard {
        department,
        member_count,
        members,
        next,
        assignments,
        claims,
        claims_next,
        modules,
    } = d;
    let assign_errors = field_errors(assign);
    let revoke_errors = field_errors(revoke);
    let decide_error = action_error(decide);
    // A plain post (this page has no island) comes back with `?assigned=N`.
    let came_back = crate::ui::refused::came_back_with("assigned").and_then(|n| n.parse().ok());
    let assigned = move || match assign.value().get().or(came_back.map(Ok)) {
        Some(Ok(n)) => {
            Some(view! { <p class="notice" role="status">{format!("Assigned to {n}.")}</p> })
        }
        _ => None,
    };
    let next_href = next.map(|after| {
        format!(
            "/department?role={}&status={}&after={}",
            url_encode(&role),
            url_encode(&status),
            url_encode(&after)
        )
    });
    // The claims pager keeps the members' filter, and the members' pager the claims' filter.
    let claims_next_href = claims_next.map(|after| {
        format!(
            "/department?role={}&status={}&claim_status={}&claims_after={}#claims-h",
            url_encode(&role),
            url_encode(&status),
            url_encode(&claim_status),
            url_encode(&after)
        )
    });
    let next_href =
        next_href.map(|href| format!("{href}&claim_status={}", url_encode(&claim_status)));
    let claims_heading = match claim_status.as_str() {
        "all" => "External claims",
        "approved" => "External claims approved",
        "rejected" => "External claims rejected",
        _ => "External claims waiting",
    };
    let revoked = crate::ui::refused::came_back_with("revoked").is_some();
    view! {
        <h1>"Department dashboard"</h1>
        <p class="lead">{department}</p>
        <p><A href="/department/consults">"Consult pool: targets, responders and how it is doing"</A></p>
        <section aria-labelledby="members-h">
            <h2 id="members-h">{format!("Members ({member_count})")}</h2>
            <form method="get" action="/department" class="search-filters">
                <div class="field">
                    <label for="filter-role">"Role"</label>
                    <select id="filter-role" name="role">
                        <option value="" selected=role.is_empty()>"Everyone"</option>
                        <option value="resident" selected=role == "resident">"Residents"</option>
                        <option value="mentor" selected=role == "mentor">"Mentors"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="filter-status">"Status"</label>
                    <select id="filter-status" name="status">
                        <option value="" selected=status.is_empty()>"Any"</option>
                        {["Behind", "On track", "Complete", "No requirement set"].into_iter().map(|s| view! {
                            <option value=s selected=status == s>{s}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button secondary">"Filter"</button>
            </form>
            <div class="table-scroll">
                <table>
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Credit this cycle"</th><th scope="col">"Status"</th></tr></thead>
                    <tbody>
                        {members.into_iter().map(|m| view! { <MemberRow m /> }).collect_view()}
                    </tbody>
                </table>
            </div>
            {next_href.map(|href| view! {
                <nav class="pager" aria-label="Members pages"><a href=href rel="next">"Next members"</a></nav>
            })}
            <p>
                <a href="/department/dashboard.csv" rel="external" download>"Export the dashboard (CSV)"</a>
                " · "
                <a href="/department/ledger.csv" rel="external" download>"Export the department's credit ledger (CSV)"</a>
            </p>
        </section>
        <section aria-labelledby="assign-h">
            <h2 id="assign-h">"Assigned modules"</h2>
            {if assignments.is_empty() {
                view! { <p class="empty">"Nothing assigned yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table>
                            <thead><tr><th scope="col">"Module"</th><th scope="col">"Due"</th><th scope="col">"Assigned"</th><th scope="col">"Completed"</th><th scope="col">"Overdue"</th></tr></thead>
                            <tbody>
                                {assignments.into_iter().map(|a| view! {
                                    <tr>
                                        <td><A href=format!("/cases/{}", a.case_id)>{a.title.clone()}</A></td>
                                        <td>{a.due_on.format("%Y-%m-%d").to_string()}</td>
                                        <td class="num">{a.assigned}</td>
                                        <td class="num">
                                            <span class="status complete">{a.completed}</span>
                                            <progress max=a.assigned value=a.completed aria-label=format!("{} of {} completed", a.completed, a.assigned)></progress>
                                        </td>
                                        <td class="num">{if a.overdue > 0 { view! { <span class="status behind">{a.overdue}</span> }.into_any() } else { view! { <span>"0"</span> }.into_any() }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <ActionForm action=assign attr:class="stack narrow" attr:novalidate=true>
                <h3>"Assign a module to all residents"</h3>
                <FormError error=action_error(assign) />
                <input type="hidden" name="assignee" value="residents" />
                <div class="field">
                    <label for="field-case_id">"Module (newest first)"</label>
                    <select id="field-case_id" name="case_id" aria-describedby="field-case_id-error">
                        <option value="">"Choose…"</option>
                        {modules.into_iter().map(|(id, title)| view! { <option value=id>{title}</option> }).collect_view()}
                    </select>
                    <p class="field-error" id="field-case_id-error">{move || assign_errors.with(|e| e.as_ref().and_then(|e| e.get("case_id").map(str::to_owned)))}</p>
                </div>
                <TextField name="due_on" label="Due on" kind="date" errors=assign_errors required=true />
                <button type="submit" class="button secondary">"Assign"</button>
                {assigned}
            </ActionForm>
        </section>
        <section aria-labelledby="claims-h">
            <h2 id="claims-h">{claims_heading}</h2>
            <form method="get" action="/department#claims-h" class="search-filters">
                <input type="hidden" name="role" value=role.clone() />
                <input type="hidden" name="status" value=status.clone() />
                <div class="field">
                    <label for="filter-claim_status">"Claims"</label>
                    <select id="filter-claim_status" name="claim_status">
                        {[("", "Waiting for approval"), ("all", "All, waiting first"), ("approved", "Approved"), ("rejected", "Rejected")]
                            .into_iter().map(|(value, label)| view! {
                                <option value=value selected=claim_status == value
                                    || (value.is_empty() && !["all", "approved", "rejected"].contains(&claim_status.as_str()))>{label}</option>
                            }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button secondary">"Show"</button>
            </form>
            <FormError error=decide_error />
            {if claims.is_empty() {
                view! { <p class="empty">"No claims here."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {claims.into_iter().map(|c| {
                            let id = c.id;
                            let reason_id = format!("reason-{id}");
                            let pending = c.status == ClaimStatus::Pending;
                            view! {
                                <li class="card">
                                    <p><strong>{c.claimant.clone()}</strong>{format!(": {} ({}, {}), {} {} · accreditation {}", c.title, c.organiser, c.held_on.format("%Y-%m-%d"), amount(c.amount), c.credit_type, c.accreditation_number)}</p>
                                    {c.has_file.then(|| view! { <p><a href=format!("/cme/claims/{id}/file") rel="external">"Certificate file"</a></p> })}
                                    {if pending {
                                        view! {
                                            <ActionForm action=decide attr:class="stack">
                                                <input type="hidden" name="claim_id" value=id />
                                                <label for=reason_id.clone()>"Reason (needed to reject)"</label>
                                                <input id=reason_id type="text" name="reason" maxlength="300" />
                                                <p class="actions">
                                                    <button type="submit" name="decision" value="approve" class="button small">"Approve"</button>
                                                    <button type="submit" name="decision" value="reject" class="button small secondary">"Reject"</button>
                                                </p>
                                            </ActionForm>
                                        }.into_any()
                                    } else {
                                        view! {
                                            <p class=format!("claim-status {}", c.status)>{c.status.label()}
                                                {c.decision_reason.clone().filter(|r| !r.is_empty()).map(|r| format!(": {r}"))}</p>
                                        }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {claims_next_href.map(|href| view! {
                <nav class="pager" aria-label="Claims pages"><a href=href rel="next">"More claims"</a></nav>
            })}
        </section>
        <section aria-labelledby="revoke-h">
            <h2 id="revoke-h">"Revoke a certificate"</h2>
            <ActionForm action=revoke attr:class="stack narrow" attr:novalidate=true>
                <FormError error=Signal::derive(move || action_error(revoke).get().filter(|e| e.field_errors().is_none())) />
                <TextField name="id" label="Certificate id" errors=revoke_errors required=true />
                <TextField name="reason" label="Reason" errors=revoke_errors required=true />
                <button type="submit" class="button secondary">"Revoke"</button>
                {move || (revoked || revoke.value().with(|v| matches!(v, Some(Ok(()))))).then(|| view! { <p class="notice" role="status">"Certificate revoked; its credit is reversed."</p> })}
            </ActionForm>
        </section>
    }
}

#[component]
fn MemberRow(m: MemberProgress) -> impl IntoView {
    let share = m
        .required
        .map(|r| (m.counted / r).clamp(0.0, 1.0))
        .unwrap_or(0.0);
    let class = match m.status.as_str() {
        "Complete" => "status complete",
        "On track" => "status on-track",
        "Behind" => "status behind",
        _ => "status none",
    };
    let credit = match m.required {
        Some(r) => format!("{} of {}", amount(m.counted), amount(r)),
        None => "—".into(),
    };
    view! {
        <tr>
            <td>{m.name.clone()}<br /><span class="meta">{m.role.label()} {m.profile.clone().map(|p| format!(" · {p}"))}</span></td>
            <td>
                {credit.clone()}
                {m.required.is_some().then(|| view! {
                    <svg class="mini-bar" viewBox="0 0 100 8" role="img" aria-label=credit.clone() preserveAspectRatio="none">
                        <rect x="0" y="0" width="100" height="8" rx="4" class="track" />
                        <rect x="0" y="0" width=100.0 * share height="8" rx="4" class="fill" />
                    </svg>
                })}
            </td>
            <td><span class=class>{m.status.clone()}</span>{(!m.gap.is_empty()).then(|| view! { <br /><span class="meta">{m.gap.clone()}</span> })}</td>
        </tr>
    }
}
