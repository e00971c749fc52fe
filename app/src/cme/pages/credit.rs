//! `/cme`: a clinician's credit and claims, their council profile.

use super::amount;
use super::progress::ProgressView;
use crate::cme::api::{get_cme, SetCmeProfile};
use crate::cme::CLAIM_ACTION;
use crate::cme::{Claim, CmeOverview, CreditSource, LedgerTotals};
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, TextField};
use crate::ui::loader::Loaded;
use crate::ui::refused::Refusal;
use crate::util::url_encode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CmePage() -> impl IntoView {
    let set_profile = ServerAction::<SetCmeProfile>::new();
    let query = use_query_map();
    // The ledger's filter and page come from plain links and a GET form (no JavaScript needed).
    let ledger_query = move || {
        query.with(|q| {
            (
                q.get("year"),
                q.get("credit_type"),
                q.get("source"),
                q.get("before"),
            )
        })
    };
    let data = Resource::new_blocking(
        move || (ledger_query(), set_profile.version().get()),
        |((year, credit_type, source, before), _)| get_cme(year, credit_type, source, before),
    );
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
        ledger_next,
        ledger_totals,
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
    let (year, credit_type, source) = (q("year"), q("credit_type"), q("source"));
    let filtered = !(year.is_empty() && credit_type.is_empty() && source.is_empty());
    let filter_query = format!(
        "year={}&credit_type={}&source={}",
        url_encode(&year),
        url_encode(&credit_type),
        url_encode(&source)
    );
    let csv_href = format!("/cme/ledger.csv?{filter_query}");
    let older_href = ledger_next.map(|before| {
        format!(
            "/cme?{filter_query}&before={}#ledger-h",
            url_encode(&before)
        )
    });
    let later_page = !q("before").is_empty();
    let newest_href = format!("/cme?{filter_query}#ledger-h");
    let LedgerTotals {
        lines,
        points,
        hours,
        years,
    } = ledger_totals;
    let mut sums = Vec::new();
    if points != 0.0 {
        sums.push(format!("{} points", amount(points)));
    }
    if hours != 0.0 {
        sums.push(format!("{} hours", amount(hours)));
    }
    let totals = format!(
        "{}{}{}",
        crate::util::count_label(lines, "line", "lines"),
        if filtered { " match" } else { " in all" },
        if sums.is_empty() {
            String::new()
        } else {
            format!(" · {}", sums.join(" · "))
        }
    );
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
            <form method="get" action="/cme#ledger-h" class="search-filters">
                <div class="field">
                    <label for="ledger-year">"Year"</label>
                    <select id="ledger-year" name="year">
                        <option value="" selected=year.is_empty()>"Every year"</option>
                        {years.into_iter().map(|y| {
                            let (value, label) = (y.to_string(), y.to_string());
                            let chosen = value == year;
                            view! { <option value=value selected=chosen>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="ledger-credit_type">"Credit type"</label>
                    <select id="ledger-credit_type" name="credit_type">
                        <option value="" selected=credit_type.is_empty()>"Points and hours"</option>
                        <option value="points" selected=credit_type == "points">"Points"</option>
                        <option value="hours" selected=credit_type == "hours">"Hours"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="ledger-source">"Source"</label>
                    <select id="ledger-source" name="source">
                        <option value="" selected=source.is_empty()>"Corridor and external"</option>
                        <option value="corridor" selected=source == "corridor">"Corridor modules"</option>
                        <option value="external" selected=source == "external">"External claims"</option>
                    </select>
                </div>
                <button type="submit" class="button secondary">"Filter"</button>
            </form>
            <p class="meta ledger-totals">{totals}</p>
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
                                            {(l.source == CreditSource::External).then(|| view! { " " <span class="tag">"external"</span> })}
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
                    <nav class="pager" aria-label="Ledger pages">
                        {later_page.then(|| view! { <a href=newest_href rel="prev">"Newest entries"</a> })}
                        {older_href.map(|href| view! { <a href=href rel="next">"Older entries"</a> })}
                    </nav>
                    <p><a href=csv_href rel="external" download>"Download the ledger (CSV)"</a></p>
                }.into_any()
            } else if filtered || later_page {
                view! { <p class="empty">"No credit matches. " <a href="/cme#ledger-h">"Show the whole ledger"</a></p> }.into_any()
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
    let status = claim.status.label();
    view! {
        <li class="card">
            <strong>{claim.title.clone()}</strong>
            <span class="meta">{format!(" · {} · {} · {} {}", claim.organiser, claim.held_on.format("%Y-%m-%d"), amount(claim.amount), claim.credit_type)}</span>
            <p class=format!("claim-status {}", claim.status)>{status} {claim.decision_reason.clone().filter(|r| !r.is_empty()).map(|r| format!(": {r}"))}</p>
        </li>
    }
}
