//! The new consult page's recipient: found by name or specialty with a plain GET form
//! (`/consults/new?find=…`), chosen with a link (`?to=<id>` or `?pool=<department id>`), and
//! then shown by name with a hidden input in the consult's form.

use crate::consults::people::{Chosen, Colleague, PoolChoice, Recipients};
use leptos::prelude::*;
use leptos_router::components::A;

/// Who the consult goes to, by name, with the field the save form posts.
#[component]
pub fn ChosenRecipient(chosen: Chosen, error: Signal<Option<String>>) -> impl IntoView {
    let (name, field, id, detail) = match chosen {
        Chosen::Colleague(c) => (
            c.full_name.clone(),
            "responder_id",
            c.id,
            colleague_detail(&c),
        ),
        Chosen::Pool(p) => (p.name.clone(), "pool_id", p.department_id, pool_detail(&p)),
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <p id="field-to">"To: " <strong>{name}</strong> <span class="meta">{format!(" · {detail}")}</span>
                " " <A href="/consults/new">"Ask someone else"</A></p>
            <input type="hidden" name=field value=id.to_string() />
            <p class="field-error" id="field-to-error">{move || error.get()}</p>
        </div>
    }
}

fn colleague_detail(c: &Colleague) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if let Some(d) = c.designation.as_deref().filter(|d| !d.is_empty()) {
        parts.push(d);
    }
    if let Some(s) = c.specialty.as_deref() {
        parts.push(s);
    }
    parts.push(&c.department);
    parts.push(&c.institution);
    parts.join(" · ")
}

fn pool_detail(p: &PoolChoice) -> String {
    format!(
        "department pool, answers routine consults within {} h, 'soon' within {} h",
        p.routine_hours, p.soon_hours
    )
}

/// The search form and its results (or, without a search, the mentors one follows and the
/// pools taking consults).
#[component]
pub fn RecipientFinder(r: Recipients) -> impl IntoView {
    let searched = !r.find.is_empty();
    let (people_heading, pools_heading) = if searched {
        ("Colleagues", "Pools")
    } else {
        ("Mentors you follow", "Pools accepting consults")
    };
    let no_people = if searched {
        "No verified colleague matches."
    } else {
        "You follow no mentor who takes consults yet."
    };
    let no_pools = if searched {
        "No pool matches."
    } else {
        "No department takes consults yet."
    };
    view! {
        <section aria-labelledby="find-h">
            <h2 id="find-h">"Whom to ask"</h2>
            {r.unavailable.then(|| view! {
                <p class="field-error" role="alert">"That colleague or department cannot take consults on Corridor. Choose another."</p>
            })}
            <form method="get" action="/consults/new" class="search-filters" role="search">
                <div class="field">
                    <label for="find">"Find a colleague or a department"</label>
                    <input id="find" type="search" name="find" value=r.find.clone()
                        placeholder="Name or specialty, e.g. cardiology" />
                </div>
                <button type="submit" class="button secondary">"Find"</button>
            </form>
            <h3>{people_heading}</h3>
            {if r.colleagues.is_empty() {
                view! { <p class="empty">{no_people}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {r.colleagues.into_iter().map(|c| {
                            let detail = colleague_detail(&c);
                            view! {
                                <li class="card">
                                    <strong>{c.full_name.clone()}</strong>
                                    <span class="meta">{format!(" · {detail}")}</span>
                                    " " <A href=format!("/consults/new?to={}", c.id)>{format!("Ask {}", c.full_name)}</A>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3>{pools_heading}</h3>
            {if r.pools.is_empty() {
                view! { <p class="empty">{no_pools}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {r.pools.into_iter().map(|p| {
                            let detail = pool_detail(&p);
                            view! {
                                <li class="card">
                                    <strong>{p.name.clone()}</strong>
                                    <span class="meta">{format!(" · {detail}")}</span>
                                    " " <A href=format!("/consults/new?pool={}", p.department_id)>{format!("Ask {}", p.name)}</A>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
