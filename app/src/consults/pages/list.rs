//! `/consults` and `/consults/new`.

use super::find::{ChosenRecipient, RecipientFinder};
use super::{age_bands, consult_id, sexes, state_label};
use crate::consults::api::{find_recipients, get_consult, list_consults, SaveConsult};
use crate::consults::people::{Chosen, Recipients};
use crate::consults::{ConsultDetail, ConsultSummary, ConsultText, MyConsults, Urgency};
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, SelectField, TextArea, TextField};
use crate::ui::loader::Loaded;
use crate::util::{format_datetime, Choice};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn ConsultsPage() -> impl IntoView {
    let lists = Resource::new_blocking(|| (), |_| list_consults());
    view! {
        <Title text="Consults · Corridor" />
        <h1>"Consults"</h1>
        <p class="notice">"Corridor is not for emergencies. For a patient who needs help now, call."</p>
        <p><A href="/consults/new" attr:class="button">"Ask a colleague"</A></p>
        <Loaded resource=lists let:data>
            <Lists data />
        </Loaded>
    }
}

#[component]
fn Lists(data: MyConsults) -> impl IntoView {
    let MyConsults {
        requested,
        responding,
        pool_queue,
    } = data;
    view! {
        <section aria-labelledby="waiting-heading">
            <h2 id="waiting-heading">"Waiting for you"</h2>
            <Items items=responding empty="Nothing addressed to you." />
        </section>
        <section aria-labelledby="pool-heading">
            <h2 id="pool-heading">"In your pools"</h2>
            <Items items=pool_queue empty="No consult waits in the pools you answer for." />
        </section>
        <section aria-labelledby="sent-heading">
            <h2 id="sent-heading">"Sent by you"</h2>
            <Items items=requested empty="You have not asked for a consult yet." />
        </section>
    }
}

#[component]
fn Items(items: Vec<ConsultSummary>, empty: &'static str) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <ul class="card-list">
            {items.into_iter().map(|c| {
                let due = c.due_at.map(|d| format!(" · due {}", format_datetime(d)));
                let to = c.responder_name.clone().or(c.pool_name.clone()).unwrap_or_default();
                view! {
                    <li class="card">
                        <A href=format!("/consults/{}", c.id)>{format!("Consult #{} · {}", c.id, c.specialty)}</A>
                        <p>{c.question}</p>
                        <p class="meta">
                            {state_label(c.state)} {due}
                            {c.overdue.then_some(" · overdue")}
                            {c.escalated.then_some(" · escalated")}
                            {format!(" · from {} to {to}", c.requester_name)}
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A new consult: first whom to ask (found by name or specialty, or linked from their pages as
/// `?to=<id>` or `?pool=<department id>`), then the request, sent to them by name.
#[component]
pub fn NewConsultPage() -> impl IntoView {
    let query = use_query_map();
    let recipients = Resource::new_blocking(
        move || query.with(|q| (q.get("find"), q.get("to"), q.get("pool"))),
        |(find, to, pool)| {
            find_recipients(
                find,
                to.and_then(|t| t.trim().parse().ok()),
                pool.and_then(|p| p.trim().parse().ok()),
            )
        },
    );
    let body = move |r: Recipients| match r.chosen {
        Some(chosen) => view! { <ConsultForm chosen=chosen /> }.into_any(),
        None => view! { <RecipientFinder r /> }.into_any(),
    };
    view! {
        <Title text="New consult · Corridor" />
        <h1>"Ask a colleague"</h1>
        <p class="notice">"Corridor is not for emergencies. Write nothing that identifies the patient: no name, numbers, dates of birth or faces."</p>
        <Loaded resource=recipients children=body />
    }
}

/// `/consults/:id/edit`: the requester rewrites a draft (its recipient stays; to ask someone
/// else, cancel it and write a new one).
#[component]
pub fn EditConsultPage() -> impl IntoView {
    let consult = Resource::new_blocking(consult_id(), get_consult);
    let body = |c: ConsultDetail| {
        if c.may_edit() {
            let to = c
                .responder_name
                .clone()
                .or(c.pool_name.clone())
                .unwrap_or_default();
            view! {
                <p class="meta">{format!("To {to}")}</p>
                <ConsultForm draft=(c.id, c.text) />
            }
            .into_any()
        } else {
            view! {
                <p class="notice">"This consult has been sent: its request can no longer be changed. Add what is missing as a message when your colleague asks for more information."</p>
                <p><A href=format!("/consults/{}", c.id)>"Back to the consult"</A></p>
            }
            .into_any()
        }
    };
    view! {
        <Title text="Edit the consult · Corridor" />
        <h1>"Edit the draft"</h1>
        <p class="notice">"Corridor is not for emergencies. Write nothing that identifies the patient: no name, numbers, dates of birth or faces."</p>
        <Loaded resource=consult children=body />
    }
}

/// The request's form: a new draft to `chosen`, or a saved draft (`draft`) rewritten.
#[component]
fn ConsultForm(
    #[prop(optional)] chosen: Option<Chosen>,
    #[prop(optional)] draft: Option<(i64, ConsultText)>,
) -> impl IntoView {
    let save = ServerAction::<SaveConsult>::new();
    let errors = field_errors(save);
    let to_error = Signal::derive(move || {
        errors.with(|e| e.as_ref().and_then(|e| e.get("to").map(str::to_owned)))
    });
    let urgencies: Vec<Choice> = Urgency::ALL
        .iter()
        .map(|u| Choice {
            value: u.as_str().into(),
            label: u.label().into(),
        })
        .collect();
    let id = draft.as_ref().map(|(id, _)| id.to_string());
    let t = draft.map(|(_, t)| t).unwrap_or_default();
    let text = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    view! {
        <ActionForm action=save attr:class="stack" attr:novalidate=true>
            <FormError error=action_error(save) />
            {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            {chosen.map(|chosen| view! { <ChosenRecipient chosen error=to_error /> })}
            <TextField name="specialty" label="Specialty" errors required=true hint="e.g. cardiology" value=text(&t.specialty) />
            <SelectField name="urgency" label="Urgency" errors choices=urgencies value=Some(t.urgency.as_str().to_string()) />
            <TextArea name="question" label="Your question, in one or two sentences" errors required=true rows=2 value=text(&t.question) />
            <p class="hint">"To send, the question, the situation, what you ask, the age band and the sex are needed; the rest helps your colleague."</p>
            <TextArea name="situation" label="Situation" errors value=text(&t.situation) />
            <TextArea name="background" label="Background" errors value=text(&t.background) />
            <TextArea name="assessment" label="Assessment" errors value=text(&t.assessment) />
            <TextArea name="ask" label="What you ask" errors value=text(&t.ask) />
            <SelectField name="age_band" label="Age band" errors choices=age_bands() value=t.age_band.map(|b| b.as_str().to_string()) />
            <SelectField name="sex" label="Sex" errors choices=sexes() value=t.sex.map(|x| x.as_str().to_string()) />
            <TextArea name="findings" label="Relevant findings" errors value=text(&t.findings) />
            <TextArea name="investigations" label="Investigations" errors value=text(&t.investigations) />
            <TextArea name="medicines" label="Medicines" errors value=text(&t.medicines) />
            <TextArea name="tried" label="What was tried" errors value=text(&t.tried) />
            <button type="submit" class="button">"Save the draft"</button>
        </ActionForm>
    }
}
