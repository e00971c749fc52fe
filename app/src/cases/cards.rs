use crate::accounts::PublicUser;
use crate::cases::{CaseStatus, CaseSummary, Kind};
use crate::util::format_date;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn CaseCard(case: CaseSummary, #[prop(optional)] show_author: bool) -> impl IntoView {
    let href = case.url();
    let when = case.published_at.unwrap_or(case.updated_at);
    let datetime = when.to_rfc3339();
    let is_draft = case.status == CaseStatus::Draft;
    view! {
        <article class="card case-card">
            <h3><A href=href>{case.title}</A></h3>
            <p class="meta">
                <KindBadge kind=case.kind minutes=case.reading_minutes />
                <span class="tag">{case.specialty}</span>
                {is_draft.then(|| view! { <span class="tag draft">"Draft"</span> })}
                {show_author.then(|| view! {
                    " · " <A href=format!("/mentors/{}", case.author_id)>{case.author_name}</A>
                })}
                " · " <time datetime=datetime>{format_date(when)}</time>
            </p>
            <p>{case.summary}</p>
        </article>
    }
}

/// Marks a micro-lesson (with its reading time) among case sketches; cases need no badge.
#[component]
pub fn KindBadge(kind: Kind, minutes: i32) -> impl IntoView {
    (kind == Kind::Lesson).then(|| {
        view! { <span class="tag lesson">{format!("Micro-lesson · {minutes} min read")}</span> }
    })
}

#[component]
pub fn MentorCard(
    mentor: PublicUser,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let href = format!("/mentors/{}", mentor.id);
    let detail = [mentor.designation, mentor.specialty, mentor.institution]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <li class="mentor-card">
            <A href=href>{mentor.full_name}</A>
            <span class="meta">{detail}</span>
            {children.map(|c| c())}
        </li>
    }
}
