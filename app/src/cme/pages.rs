//! CME pages: a clinician's credit against their council's requirement, the public
//! certificate verification page, and the department admin's dashboard.

use crate::cme::api::{get_certificate, get_cme, SetCmeProfile};
use crate::cme::rules::{Progress, Status};
use crate::cme::CLAIM_ACTION;
use crate::cme::{Certificate, Claim, CmeOverview};
use crate::error::AppError;
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, TextField};
use crate::ui::loader::{Derived, Loaded};
use crate::ui::refused::Refusal;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

pub(crate) fn amount(v: f64) -> String {
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
    view! {
        <Title text="CME credit · Corridor" />
        <h1>"CME credit"</h1>
        <Loaded resource=data let:cme>
            <CmeBody cme set_profile />
        </Loaded>
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
    // A claim refused without JavaScript comes back with its messages and what was typed.
    let claim = StoredValue::new(Refusal::of(CLAIM_ACTION));
    let claim_error = move |field: &str| claim.with_value(|c| c.field(field));
    let claim_value = move |field: &str| claim.with_value(|c| c.value(field));
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
            <form id="claim-form" method="post" action=CLAIM_ACTION enctype="multipart/form-data" class="stack narrow" novalidate>
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
    // An unknown id is an answer here, not an error page.
    let certificate = Derived(move || async move {
        match data.await {
            Err(AppError::NotFound) => Ok(None),
            found => found.map(Some),
        }
    });
    let body = |certificate: Option<Certificate>| {
        let Some(c) = certificate else {
            return view! {
                <p class="verdict revoked" role="status"><strong>"No such certificate."</strong> " Check the address against the certificate."</p>
            }.into_any();
        };
        view! {
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
        }.into_any()
    };
    view! {
        <Title text="Verify a certificate · Corridor" />
        <h1>"Certificate verification"</h1>
        <Loaded resource=certificate children=body />
    }
}
