//! CME pages: a clinician's credit against their council's requirement, the public
//! certificate verification page, and the department admin's dashboard.

use crate::api::cme::{get_certificate, get_cme, DecideClaim, RevokeCertificate, SetCmeProfile};
use crate::api::department::{get_dashboard, AssignModule, Dashboard, MemberProgress};
use crate::cme::{Progress, Status};
use crate::components::{action_error, field_errors, ErrorView, FormError, TextField};
use crate::error::AppError;
use crate::model::{Claim, CmeOverview};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

fn amount(v: f64) -> String {
    let v = (v * 100.0).round() / 100.0;
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

#[component]
pub fn CmePage() -> impl IntoView {
    let set_profile = ServerAction::<SetCmeProfile>::new();
    let data = Resource::new_blocking(move || set_profile.version().get(), |_| get_cme());
    let body = move || {
        Suspend::new(async move {
            match data.await {
                Ok(cme) => view! { <CmeBody cme set_profile /> }.into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            }
        })
    };
    view! {
        <Title text="CME credit · Corridor" />
        <h1>"CME credit"</h1>
        <Transition fallback=super::loading>{body}</Transition>
    }
}

#[component]
fn CmeBody(cme: CmeOverview, set_profile: ServerAction<SetCmeProfile>) -> impl IntoView {
    let CmeOverview {
        profiles,
        profile_id,
        cycle_start,
        progress,
        ledger,
        claims,
    } = cme;
    let errors = field_errors(set_profile);
    let profile_error = move || {
        errors.with(|e| {
            e.as_ref()
                .and_then(|e| e.get("profile_id").map(str::to_owned))
        })
    };
    let query = use_query_map();
    let q = move |name: &str| query.with_untracked(|q| q.get(name)).unwrap_or_default();
    let claimed = !q("claimed").is_empty();
    let claim_error = move |field: &str| Some(q(&format!("e.{field}"))).filter(|e| !e.is_empty());
    let claim_value = move |field: &str| q(&format!("v.{field}"));
    let has_ledger = !ledger.is_empty();
    view! {
        {match progress {
            Some(p) => view! { <ProgressView progress=p /> }.into_any(),
            None => view! { <p class="notice">"Choose your council's requirement and the date your cycle began to see your progress."</p> }.into_any(),
        }}
        <section aria-labelledby="profile-h">
            <h2 id="profile-h">"Your requirement"</h2>
            <ActionForm action=set_profile attr:class="stack narrow" attr:novalidate=true>
                <FormError error=action_error(set_profile) />
                <div class="field">
                    <label for="field-profile_id">"Council"</label>
                    <select id="field-profile_id" name="profile_id" aria-describedby="field-profile_id-error">
                        <option value="" selected=profile_id.is_none()>"Choose…"</option>
                        {profiles.into_iter().map(|(id, name)| view! {
                            <option value=id selected=profile_id == Some(id)>{name}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="field-profile_id-error" aria-live="polite">{profile_error}</p>
                </div>
                <TextField name="cycle_start" label="Cycle began on" kind="date" errors required=true
                    value=cycle_start.map(|d| d.format("%Y-%m-%d").to_string()) />
                <button type="submit" class="button secondary">"Save"</button>
            </ActionForm>
        </section>
        <section aria-labelledby="ledger-h">
            <h2 id="ledger-h">"Credit ledger"</h2>
            {if has_ledger {
                view! {
                    <div class="table-scroll">
                        <table>
                            <thead><tr><th scope="col">"Date"</th><th scope="col">"Activity"</th><th scope="col">"Credit"</th><th scope="col">"Certificate"</th></tr></thead>
                            <tbody>
                                {ledger.into_iter().map(|l| view! {
                                    <tr>
                                        <td>{l.earned_on.format("%Y-%m-%d").to_string()}</td>
                                        <td>{l.activity.clone()}
                                            {l.online.then(|| view! { " " <span class="tag">"online"</span> })}
                                            {(l.source == "external").then(|| view! { " " <span class="tag">"external"</span> })}
                                            {l.reason.clone().map(|r| view! { <br /><span class="meta">{r}</span> })}
                                        </td>
                                        <td>{format!("{} {}", amount(l.amount), l.credit_type)}</td>
                                        <td>{l.certificate_id.map(|id| view! {
                                            <a href=format!("/certificates/{id}/pdf") rel="external">"PDF"</a> " · "
                                            <A href=format!("/verify/{id}")>"Verify"</A> " · "
                                            <a href=format!("/certificates/{id}/badge.json") rel="external">"Open Badge"</a>
                                        })}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <p><a href="/cme/ledger.csv" rel="external" download>"Download the ledger (CSV)"</a></p>
                }.into_any()
            } else {
                view! { <p class="empty">"No credit yet. Pass a case module, or claim an external event below."</p> }.into_any()
            }}
        </section>
        <section aria-labelledby="claims-h" id="claims">
            <h2 id="claims-h">"External CME"</h2>
            {claimed.then(|| view! { <p class="notice" role="status">"Claim sent to your department for approval."</p> })}
            {(!claims.is_empty()).then(|| view! {
                <ul class="plain-list">
                    {claims.into_iter().map(|c| view! { <ClaimItem claim=c /> }).collect_view()}
                </ul>
            })}
            <form id="claim-form" method="post" action="/cme/claims" enctype="multipart/form-data" class="stack narrow" novalidate>
                <h3>"Claim credit for a conference or workshop"</h3>
                {claim_error("form").map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                {[("title", "Title", "text"), ("organiser", "Organiser", "text"), ("held_on", "Date", "date"),
                  ("accreditation_number", "Council accreditation number", "text"), ("amount", "Credit awarded", "text")]
                    .into_iter().map(|(name, label, kind)| {
                        let id = format!("claim-{name}");
                        let error_id = format!("{id}-error");
                        let error = claim_error(name);
                        view! {
                            <div class="field">
                                <label for=id.clone()>{label}</label>
                                <input id=id type=kind name=name value=claim_value(name) required
                                    aria-invalid=error.is_some().to_string() aria-describedby=error_id.clone() />
                                <p class="field-error" id=error_id aria-live="polite">{error}</p>
                            </div>
                        }
                    }).collect_view()}
                <div class="field">
                    <label for="claim-credit_type">"Credit type"</label>
                    <select id="claim-credit_type" name="credit_type">
                        <option value="points">"Points"</option>
                        <option value="hours" selected=claim_value("credit_type") == "hours">"Hours"</option>
                    </select>
                </div>
                <label class="choice" for="claim-online"><input type="checkbox" id="claim-online" name="online" value="yes" />"Attended online"</label>
                <div class="field">
                    <label for="claim-certificate">"Certificate received (PDF, JPEG or PNG)"</label>
                    <input id="claim-certificate" type="file" name="certificate" accept="application/pdf,image/jpeg,image/png" required
                        aria-describedby="claim-certificate-error" />
                    <p class="field-error" id="claim-certificate-error" aria-live="polite">{claim_error("certificate")}</p>
                </div>
                <button type="submit" class="button secondary">"Send claim"</button>
            </form>
        </section>
    }
}

#[component]
fn ClaimItem(claim: Claim) -> impl IntoView {
    let status = match claim.status.as_str() {
        "approved" => "Approved",
        "rejected" => "Rejected",
        _ => "Waiting for approval",
    };
    view! {
        <li class="card">
            <strong>{claim.title.clone()}</strong>
            <span class="meta">{format!(" · {} · {} · {} {}", claim.organiser, claim.held_on.format("%Y-%m-%d"), amount(claim.amount), claim.credit_type)}</span>
            <p class=format!("claim-status {}", claim.status)>{status} {claim.decision_reason.clone().filter(|r| !r.is_empty()).map(|r| format!(": {r}"))}</p>
        </li>
    }
}

/// Credit this cycle against the requirement, as pictures: one bar for the cycle, one per year
/// against its minimum; then the plain gap statement and what counted.
#[component]
fn ProgressView(progress: Progress) -> impl IntoView {
    let Progress {
        cycle_start,
        cycle_end,
        required,
        counted,
        online_counted,
        years,
        activities,
        status,
        gap,
    } = progress;
    let share = (counted / required).clamp(0.0, 1.0);
    let status_class = match status {
        Status::Complete => "status complete",
        Status::OnTrack => "status on-track",
        Status::Behind => "status behind",
    };
    let year_max = years
        .iter()
        .map(|y| y.counted.max(y.minimum))
        .fold(1.0, f64::max);
    let label = format!("{} of {} this cycle", amount(counted), amount(required));
    view! {
        <section aria-labelledby="progress-h" class="card progress">
            <h2 id="progress-h">"This cycle"</h2>
            <p class="meta">{format!("{} to {}", cycle_start.format("%-d %b %Y"), cycle_end.format("%-d %b %Y"))}</p>
            <p><span class=status_class>{status.label()}</span> " " <strong>{label.clone()}</strong>
                {(online_counted > 0.0).then(|| format!(" ({} online)", amount(online_counted)))}</p>
            <svg class="cycle-bar" viewBox="0 0 300 24" role="img" aria-label=label preserveAspectRatio="none">
                <rect x="0" y="4" width="300" height="16" rx="8" class="track" />
                <rect x="0" y="4" width=300.0 * share height="16" rx="8" class="fill" />
            </svg>
            <p class="gap">{gap}</p>
            {(years.len() > 1).then(|| {
                let n = years.len() as f64;
                let aria = years.iter().enumerate().map(|(i, y)| format!("Year {}: {} of at least {}", i + 1, amount(y.counted), amount(y.minimum))).collect::<Vec<_>>().join("; ");
                view! {
                    <svg class="year-chart" viewBox=format!("0 0 {} 120", n * 60.0) role="img" aria-label=aria>
                        {years.iter().enumerate().map(|(i, y)| {
                            let x = i as f64 * 60.0 + 12.0;
                            let h = 90.0 * y.counted / year_max;
                            let min_y = 100.0 - 90.0 * y.minimum / year_max;
                            let class = if y.counted + 1e-9 >= y.minimum { "bar pass" } else { "bar fail" };
                            view! {
                                <rect class=class x=x y=100.0 - h width="36" height=h.max(1.0) />
                                {(y.minimum > 0.0).then(|| view! { <line class="pass-line" x1=x - 4.0 x2=x + 40.0 y1=min_y y2=min_y /> })}
                                <text x=x + 18.0 y="116" text-anchor="middle" font-size="11">{y.start.format("%Y").to_string()}</text>
                            }
                        }).collect_view()}
                    </svg>
                }
            })}
            {(!activities.is_empty()).then(|| view! {
                <details>
                    <summary>"What counted"</summary>
                    <ul>
                        {activities.into_iter().map(|a| {
                            let name = a.activity.split_once('#').map(|(_, n)| n.to_owned()).unwrap_or(a.activity.clone());
                            view! {
                                <li>{format!("{name}: {} of {}", amount(a.counted), amount(a.claimed))}
                                    {(!a.notes.is_empty()).then(|| format!(" ({})", a.notes.join("; ")))}</li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </section>
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).unwrap_or_default();
    let data = Resource::new_blocking(id, get_certificate);
    let body = move || {
        Suspend::new(async move {
            match data.await {
                Ok(c) => view! {
                    <article class="card certificate">
                        {if c.revoked {
                            view! { <p class="verdict revoked" role="status"><strong>"Revoked"</strong>
                                {c.revoked_reason.clone().map(|r| format!(": {r}"))}</p> }.into_any()
                        } else {
                            view! { <p class="verdict valid" role="status"><strong>"Valid certificate"</strong></p> }.into_any()
                        }}
                        <dl>
                            <dt>"Awarded to"</dt><dd>{c.recipient_name.clone()}</dd>
                            {c.registration_number.clone().map(|r| view! {
                                <dt>"Registration number"</dt>
                                <dd>{r} " "
                                    {if c.registration_verified {
                                        view! { <span class="tag">"verified by the department"</span> }.into_any()
                                    } else {
                                        view! { <span class="tag draft">"self-declared, not verified"</span> }.into_any()
                                    }}
                                </dd>
                            })}
                            <dt>"Activity"</dt><dd>{c.activity.clone()}</dd>
                            <dt>"Credit"</dt><dd>{format!("{} {}", amount(c.amount), c.credit_type)}</dd>
                            <dt>"Date"</dt><dd>{c.issued_on.format("%-d %B %Y").to_string()}</dd>
                            <dt>"Issued by"</dt><dd>{c.issuer.clone()}</dd>
                            <dt>"Certificate id"</dt><dd><code>{c.id.clone()}</code></dd>
                        </dl>
                    </article>
                }.into_any(),
                Err(AppError::NotFound) => view! {
                    <p class="verdict revoked" role="status"><strong>"No such certificate."</strong> " Check the address against the certificate."</p>
                }.into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            }
        })
    };
    view! {
        <Title text="Verify a certificate · Corridor" />
        <h1>"Certificate verification"</h1>
        <Transition fallback=super::loading>{body}</Transition>
    }
}

#[component]
pub fn DepartmentPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            (
                q.get("role").unwrap_or_default(),
                q.get("status").unwrap_or_default(),
            )
        })
    };
    let assign = ServerAction::<AssignModule>::new();
    let decide = ServerAction::<DecideClaim>::new();
    let revoke = ServerAction::<RevokeCertificate>::new();
    let data = Resource::new_blocking(
        move || {
            (
                filter(),
                assign.version().get(),
                decide.version().get(),
                revoke.version().get(),
            )
        },
        |((role, status), ..)| get_dashboard(role, status),
    );
    let body = move || {
        Suspend::new(async move {
            let (role, status) = filter();
            match data.await {
                Ok(d) => view! { <DashboardView d role status assign decide revoke /> }.into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            }
        })
    };
    view! {
        <Title text="Department · Corridor" />
        <Transition fallback=super::loading>{body}</Transition>
    }
}

#[component]
fn DashboardView(
    d: Dashboard,
    role: String,
    status: String,
    assign: ServerAction<AssignModule>,
    decide: ServerAction<DecideClaim>,
    revoke: ServerAction<RevokeCertificate>,
) -> impl IntoView {
    let Dashboard {
        department,
        members,
        assignments,
        claims,
        modules,
    } = d;
    let assign_errors = field_errors(assign);
    let revoke_errors = field_errors(revoke);
    let decide_error = action_error(decide);
    let assigned = move || match assign.value().get() {
        Some(Ok(n)) => {
            Some(view! { <p class="notice" role="status">{format!("Assigned to {n}.")}</p> })
        }
        _ => None,
    };
    let members_count = members.len();
    view! {
        <h1>"Department dashboard"</h1>
        <p class="lead">{department}</p>
        <section aria-labelledby="members-h">
            <h2 id="members-h">{format!("Members ({members_count})")}</h2>
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
                            <thead><tr><th scope="col">"Module"</th><th scope="col">"Assigned to"</th><th scope="col">"Due"</th><th scope="col">"State"</th></tr></thead>
                            <tbody>
                                {assignments.into_iter().map(|a| view! {
                                    <tr>
                                        <td><A href=format!("/cases/{}", a.case_id)>{a.title.clone()}</A></td>
                                        <td>{a.assignee.clone()}</td>
                                        <td>{a.due_on.format("%Y-%m-%d").to_string()}</td>
                                        <td>{if a.completed { view! { <span class="status complete">"Completed"</span> }.into_any() }
                                             else if a.overdue { view! { <span class="status behind">"Overdue"</span> }.into_any() }
                                             else { view! { <span class="status on-track">"Open"</span> }.into_any() }}</td>
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
                    <label for="field-case_id">"Module"</label>
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
            <h2 id="claims-h">"External claims waiting"</h2>
            <FormError error=decide_error />
            {if claims.is_empty() {
                view! { <p class="empty">"No claims waiting."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {claims.into_iter().map(|c| {
                            let id = c.id;
                            let reason_id = format!("reason-{id}");
                            view! {
                                <li class="card">
                                    <p><strong>{c.claimant.clone()}</strong>{format!(": {} ({}, {}), {} {} · accreditation {}", c.title, c.organiser, c.held_on.format("%Y-%m-%d"), amount(c.amount), c.credit_type, c.accreditation_number)}</p>
                                    {c.has_file.then(|| view! { <p><a href=format!("/cme/claims/{id}/file") rel="external">"Certificate file"</a></p> })}
                                    <ActionForm action=decide attr:class="stack">
                                        <input type="hidden" name="claim_id" value=id />
                                        <label for=reason_id.clone()>"Reason (needed to reject)"</label>
                                        <input id=reason_id type="text" name="reason" maxlength="300" />
                                        <p class="actions">
                                            <button type="submit" name="decision" value="approve" class="button small">"Approve"</button>
                                            <button type="submit" name="decision" value="reject" class="button small secondary">"Reject"</button>
                                        </p>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="revoke-h">
            <h2 id="revoke-h">"Revoke a certificate"</h2>
            <ActionForm action=revoke attr:class="stack narrow" attr:novalidate=true>
                <FormError error=Signal::derive(move || action_error(revoke).get().filter(|e| e.field_errors().is_none())) />
                <TextField name="id" label="Certificate id" errors=revoke_errors required=true />
                <TextField name="reason" label="Reason" errors=revoke_errors required=true />
                <button type="submit" class="button secondary">"Revoke"</button>
                {move || revoke.value().with(|v| matches!(v, Some(Ok(())))).then(|| view! { <p class="notice" role="status">"Certificate revoked; its credit is reversed."</p> })}
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
