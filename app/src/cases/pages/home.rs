use crate::accounts::components::AuthContext;
use crate::accounts::SessionUser;
use crate::cases::api::get_home;
use crate::cases::api::mentors::SetFollowing;
use crate::cases::cards::{CaseCard, MentorCard};
use crate::cases::HomeData;
use crate::ui::loader::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn HomePage() -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    let follow = ServerAction::<SetFollowing>::new();
    let query = use_query_map();
    let before = move || query.with(|q| q.get("before"));
    // Made here, once per page: a resource made inside the signed-in branch was made, and
    // fetched, again each time the server rendered that branch (twice per page).
    let home = Resource::new_blocking(
        move || (follow.version().get(), before()),
        move |(_, before)| async move {
            Ok(match auth.user.await? {
                Some(user) => Some((user, get_home(before).await?)),
                None => None,
            })
        },
    );
    let page = move |home: Option<(SessionUser, HomeData)>| match home {
        Some((user, data)) => view! { <Dashboard user data follow /> }.into_any(),
        None => view! { <Welcome /> }.into_any(),
    };
    view! {
        <Title text="Corridor" />
        <Loaded resource=home suspense=true children=page />
    }
}

#[component]
fn Welcome() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"The teaching that happens in the corridor, kept."</h1>
            <p class="lead">
                "Senior clinicians sketch the cases that taught them something. Residents follow them, "
                "read between patients, and earn CME credit."
            </p>
            <p class="actions">
                <A href="/register" attr:class="button">"Join as a resident"</A>
                <A href="/login" attr:class="button secondary">"Sign in"</A>
            </p>
        </section>
    }
}

#[component]
fn Dashboard(
    user: SessionUser,
    data: HomeData,
    follow: ServerAction<SetFollowing>,
) -> impl IntoView {
    let can_author = user.role.can_author();
    view! {
        <h1>"Welcome, " {user.full_name.clone()}</h1>
        <DashboardBody data can_author follow />
    }
}

#[component]
fn DashboardBody(
    data: HomeData,
    can_author: bool,
    follow: ServerAction<SetFollowing>,
) -> impl IntoView {
    let HomeData {
        following,
        specialties,
        feed,
        drafts,
        reviews,
        assignments,
        suggested,
        consults,
    } = data;
    let older = feed.next.map(|cursor| format!("/?before={cursor}"));
    let open_assignments: Vec<_> = assignments.into_iter().filter(|a| !a.completed).collect();
    view! {
        {(!consults.is_empty()).then(|| view! {
            <section aria-labelledby="consults-waiting-h">
                <h2 id="consults-waiting-h">"Consults waiting for you"</h2>
                <ul class="plain-list">
                    {consults.into_iter().map(|c| view! {
                        <li class="card">
                            <A href=format!("/consults/{}", c.id)>{format!("Consult #{} · {}", c.id, c.specialty)}</A>
                            <span class="meta">
                                {format!(" · {} · {}", c.why.label(), c.urgency.label())}
                                {c.due_at.map(|d| format!(" · due {}", crate::util::format_datetime(d)))}
                            </span>
                            {c.overdue.then(|| view! { " " <span class="status behind">"Overdue"</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!open_assignments.is_empty()).then(|| view! {
            <section aria-labelledby="assigned-h" class="assigned">
                <h2 id="assigned-h">"Assigned to you"</h2>
                <ul class="plain-list">
                    {open_assignments.into_iter().map(|a| view! {
                        <li class="card">
                            <A href=format!("/cases/{}/quiz", a.case_id)>{a.title.clone()}</A>
                            <span class="meta">{format!(" · due {}", a.due_on.format("%-d %b %Y"))}</span>
                            {a.overdue.then(|| view! { " " <span class="status behind">"Overdue"</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {can_author.then(|| view! {
            <section aria-labelledby="drafts-h">
                <h2 id="drafts-h">"Your drafts"</h2>
                <p class="actions">
                    <A href="/cases/new" attr:class="button">"Write a case sketch"</A>
                    <A href="/lessons/new" attr:class="button secondary">"Write a micro-lesson"</A>
                </p>
                {if drafts.is_empty() {
                    view! { <p class="empty">"No drafts. Your published cases are on your profile."</p> }.into_any()
                } else {
                    drafts.into_iter().map(|case| view! { <CaseCard case /> }).collect_view().into_any()
                }}
            </section>
        })}
        {(!reviews.is_empty()).then(|| view! {
            <section aria-labelledby="reviews-h">
                <h2 id="reviews-h">"Waiting for your review"</h2>
                <p class="meta">"Your department reviews cases before readers see them. Open one to approve it."</p>
                <div class="case-list">
                    {reviews.into_iter().map(|case| view! { <CaseCard case show_author=true /> }).collect_view()}
                </div>
            </section>
        })}
        <section aria-labelledby="latest-h">
            <h2 id="latest-h">"Your feed"</h2>
            <p class="meta">"New cases from the mentors and specialties you follow."</p>
            {if feed.items.is_empty() {
                view! {
                    <p class="empty">"Nothing yet. Follow a mentor or a specialty to see their cases here, or "
                        <A href="/cases">"browse all cases"</A>"."</p>
                }.into_any()
            } else {
                view! {
                    <div class="case-list">
                        {feed.items.into_iter().map(|case| view! { <CaseCard case show_author=true /> }).collect_view()}
                    </div>
                    <nav class="pager" aria-label="Feed pages">
                        <A href="/cases">"All cases"</A>
                        {older.map(|href| view! { <A href=href attr:rel="next">"Older →"</A> })}
                    </nav>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="specialties-h">
            <h2 id="specialties-h">"Specialties you follow"</h2>
            {if specialties.is_empty() {
                view! { <p class="empty">"None yet: open a specialty (from any case) to follow it."</p> }.into_any()
            } else {
                view! {
                    <ul class="tag-list">
                        {specialties.into_iter().map(|s| view! {
                            <li><A href=format!("/specialties/{}", s.value) attr:class="tag">{s.label}</A></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="following-h">
            <h2 id="following-h">"Mentors you follow"</h2>
            {if following.is_empty() {
                view! { <p class="empty">"You are not following anyone yet."</p> }.into_any()
            } else {
                view! { <ul class="mentor-list">{following.into_iter().map(|mentor| view! { <MentorCard mentor /> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        {(!suggested.is_empty()).then(|| view! {
            <section aria-labelledby="suggested-h">
                <h2 id="suggested-h">"Mentors to follow"</h2>
                <ul class="mentor-list">
                    {suggested.into_iter().map(|mentor| {
                        let id = mentor.id;
                        let name = mentor.full_name.clone();
                        view! {
                            <MentorCard mentor>
                                <ActionForm action=follow attr:class="inline">
                                    <input type="hidden" name="mentor_id" value=id />
                                    <input type="hidden" name="follow" value="true" />
                                    <button type="submit" class="button small" aria-label=format!("Follow {name}")>"Follow"</button>
                                </ActionForm>
                            </MentorCard>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}
