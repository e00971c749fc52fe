//! Institution and department settings: peer review per department, and the record-number
//! labels the privacy guard learns per institution.

use crate::accounts::Role;
use crate::admin::api::{get_settings, AddRecordLabel, RemoveRecordLabel, SetPeerReview};
use crate::admin::InstitutionSettings;
use crate::privacy::RECORD_LABELS_HINT;
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, TextField};
use crate::ui::loader::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let review = ServerAction::<SetPeerReview>::new();
    let add = ServerAction::<AddRecordLabel>::new();
    let remove = ServerAction::<RemoveRecordLabel>::new();
    let settings = Resource::new_blocking(
        move || {
            (
                review.version().get(),
                add.version().get(),
                remove.version().get(),
            )
        },
        |_| get_settings(),
    );
    let body = move |(role, list): (Role, Vec<InstitutionSettings>)| {
        if list.is_empty() {
            return view! { <p class="empty">"No departments yet."</p> }.into_any();
        }
        view! {
            {list
                .into_iter()
                .map(|i| view! { <Institution institution=i review add remove site_admin={role == Role::SiteAdmin} /> })
                .collect_view()}
            {(role == Role::SiteAdmin).then(|| view! { <JoinRules /> <CmeProfiles /> })}
        }
        .into_any()
    };
    view! {
        <Title text="Settings · Corridor" />
        <h1>"Department settings"</h1>
        <FormError error=action_error(review) />
        <FormError error=action_error(remove) />
        <Loaded resource=settings children=body />
    }
}

#[component]
fn Institution(
    institution: InstitutionSettings,
    review: ServerAction<SetPeerReview>,
    add: ServerAction<AddRecordLabel>,
    remove: ServerAction<RemoveRecordLabel>,
    site_admin: bool,
) -> impl IntoView {
    let InstitutionSettings {
        id,
        name,
        labels,
        departments,
    } = institution;
    let errors = field_errors(add);
    let heading_id = format!("institution-{id}");
    let labelled_by = heading_id.clone();
    view! {
        <section aria-labelledby=labelled_by class="card settings">
            <h2 id=heading_id>{name}</h2>
            <h3>"Peer review"</h3>
            <p class="meta">"When on, a case published in the department reaches readers only after another mentor of the department approves it."</p>
            <ul class="plain-list">
                {departments.into_iter().map(|d| {
                    let (label, next, button) = if d.peer_review {
                        ("on", None, "Switch off")
                    } else {
                        ("off", Some("on"), "Switch on")
                    };
                    view! {
                        <li>
                            <ActionForm action=review attr:class="inline">
                                <input type="hidden" name="department_id" value=d.id />
                                {next.map(|v| view! { <input type="hidden" name="enabled" value=v /> })}
                                <span>{d.name.clone()} ": peer review " <strong>{label}</strong> " "</span>
                                <button type="submit" class="button small secondary"
                                    aria-label=format!("{button} peer review for {}", d.name)>{button}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h3>"Record-number labels"</h3>
            <p class="meta">{RECORD_LABELS_HINT}</p>
            {if labels.is_empty() {
                view! { <p class="empty">"No labels of its own."</p> }.into_any()
            } else {
                view! {
                    <ul class="tag-list">
                        {labels.into_iter().map(|label| view! {
                            <li>
                                <span class="tag">{label.clone()}</span>
                                {site_admin.then(|| view! {
                                    <ActionForm action=remove attr:class="inline">
                                        <input type="hidden" name="institution_id" value=id />
                                        <input type="hidden" name="label" value=label.clone() />
                                        <button type="submit" class="button small secondary" aria-label=format!("Remove label {label}")>"×"</button>
                                    </ActionForm>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {site_admin.then(|| view! {
                <ActionForm action=add attr:class="stack narrow" attr:novalidate=true>
                    <input type="hidden" name="institution_id" value=id />
                    <TextField name="label" label="Add a label" errors hint="e.g. PID, Hosp No, Case Sheet No" maxlength=24usize />
                    <button type="submit" class="button small">"Add label"</button>
                </ActionForm>
            })}
        </section>
    }
}

/// Council requirement profiles, editable by a site admin.
#[component]
pub fn CmeProfiles() -> impl IntoView {
    use crate::cme::api::{get_cme_profiles, EditCmeProfile};
    use crate::cme::CreditType;
    let edit = ServerAction::<EditCmeProfile>::new();
    let errors = field_errors(edit);
    let profiles = Resource::new_blocking(move || edit.version().get(), |_| get_cme_profiles());
    let body = move |list: Vec<(i64, crate::cme::rules::Profile)>| {
        list.into_iter()
                    .map(|(id, p)| {
                        let opt = |v: Option<f64>| v.map(|n| n.to_string());
                        view! {
                            <details class="card">
                                <summary>{format!("{}: {} {} in {} years", p.name, p.total_required, p.unit, p.cycle_years)}</summary>
                                <ActionForm action=edit attr:class="stack narrow" attr:novalidate=true>
                                    <input type="hidden" name="profile_id" value=id />
                                    <div class="field">
                                        <label for=format!("unit-{id}")>"Unit"</label>
                                        <select id=format!("unit-{id}") name="unit">
                                            <option value="points" selected=p.unit == CreditType::Points>"Points"</option>
                                            <option value="hours" selected=p.unit == CreditType::Hours>"Hours"</option>
                                        </select>
                                    </div>
                                    <TextField name="cycle_years" label="Cycle (years)" errors value=Some(p.cycle_years.to_string()) />
                                    <TextField name="total_required" label="Total required" errors value=Some(p.total_required.to_string()) />
                                    <TextField name="per_year_minimum" label="Minimum each year" errors value=Some(p.per_year_minimum.to_string()) />
                                    <TextField name="per_event_maximum" label="Maximum per event" errors value=opt(p.per_event_maximum) hint="Empty: no limit." />
                                    <TextField name="online_cap" label="Online cap per cycle" errors value=opt(p.online_cap) hint="Empty: no cap." />
                                    <TextField name="online_factor" label="Online credit counts at" errors value=Some(p.online_factor.to_string()) hint="1 = fully, 0.5 = half." />
                                    <button type="submit" class="button small">"Save rules"</button>
                                </ActionForm>
                            </details>
                        }
                    })
                    .collect_view()
    };
    view! {
        <section aria-labelledby="profiles-h">
            <h2 id="profiles-h">"CME requirement profiles"</h2>
            <p class="meta">"Councils' rules as data: changes apply to everyone's progress at once."</p>
            <FormError error=action_error(edit) />
            <Loaded resource=profiles children=body />
        </section>
    }
}

/// How people join each institution: its e-mail domains and join policy (site admins).
#[component]
pub fn JoinRules() -> impl IntoView {
    use crate::department::api::members::{
        get_institution_domains, AddInstitutionDomain, RemoveInstitutionDomain, SetJoinPolicy,
    };
    use crate::department::{InstitutionDomains, JoinPolicy};
    let add = ServerAction::<AddInstitutionDomain>::new();
    let remove = ServerAction::<RemoveInstitutionDomain>::new();
    let policy = ServerAction::<SetJoinPolicy>::new();
    let errors = field_errors(add);
    let list = Resource::new_blocking(
        move || {
            (
                add.version().get(),
                remove.version().get(),
                policy.version().get(),
            )
        },
        |_| get_institution_domains(),
    );
    let body = move |institutions: Vec<InstitutionDomains>| {
        institutions.into_iter()
                    .map(|i| {
                        let id = i.id;
                        view! {
                            <div class="card">
                                <h3>{i.name.clone()}</h3>
                                <ActionForm action=policy attr:class="stack narrow">
                                    <input type="hidden" name="institution_id" value=id />
                                    <fieldset>
                                        <legend>"How people join"</legend>
                                        {[JoinPolicy::Domain, JoinPolicy::Approval].into_iter().map(|p| {
                                            let input_id = format!("policy-{id}-{}", p.as_str());
                                            view! {
                                                <div class="choice">
                                                    <input type="radio" id=input_id.clone() name="policy" value=p.as_str() checked=i.join_policy == p />
                                                    <label for=input_id>{p.label()}</label>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                    <button type="submit" class="button small secondary">"Save"</button>
                                </ActionForm>
                                <h4>"E-mail domains"</h4>
                                {if i.domains.is_empty() {
                                    view! { <p class="empty">"None: every request needs approval."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="tag-list">
                                            {i.domains.into_iter().map(|domain| view! {
                                                <li>
                                                    <span class="tag">{domain.clone()}</span>
                                                    <ActionForm action=remove attr:class="inline">
                                                        <input type="hidden" name="institution_id" value=id />
                                                        <input type="hidden" name="domain" value=domain.clone() />
                                                        <button type="submit" class="button small secondary" aria-label=format!("Remove domain {domain}")>"×"</button>
                                                    </ActionForm>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                <ActionForm action=add attr:class="stack narrow" attr:novalidate=true>
                                    <input type="hidden" name="institution_id" value=id />
                                    <TextField name="domain" label="Add a domain" errors hint="e.g. sahyadri.edu.in — its subdomains count too." />
                                    <button type="submit" class="button small">"Add domain"</button>
                                </ActionForm>
                            </div>
                        }
                    })
                    .collect_view()
    };
    view! {
        <section aria-labelledby="join-h">
            <h2 id="join-h">"Joining institutions"</h2>
            <p class="meta">"People confirm their address by e-mail. An address at one of an institution's domains then joins the department it chose; anyone else waits for the department admin."</p>
            <FormError error=action_error(policy) />
            <FormError error=action_error(remove) />
            <Loaded resource=list children=body />
        </section>
    }
}
