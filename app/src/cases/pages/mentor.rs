use crate::cases::api::mentors::{get_mentor_profile, SetFollowing};
use crate::cases::cards::CaseCard;
use crate::cases::MentorProfile;
use crate::ui::errors::FormError;
use crate::ui::loader::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn MentorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let follow = ServerAction::<SetFollowing>::new();
    let profile = Resource::new_blocking(
        move || (id(), follow.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_mentor_profile(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Loaded resource=profile let:profile>
            <Profile profile follow />
        </Loaded>
    }
}

#[component]
fn Profile(profile: MentorProfile, follow: ServerAction<SetFollowing>) -> impl IntoView {
    let MentorProfile {
        mentor,
        cases,
        followers,
        is_following,
        is_self,
    } = profile;
    let id = mentor.id;
    let follow_error = crate::ui::fields::action_error(follow);
    let place = [mentor.department.clone(), mentor.institution.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let followers_label = crate::util::count_label(followers, "follower", "followers");
    view! {
        <Title text=format!("{} · Corridor", mentor.full_name) />
        <header class="profile">
            <h1>{mentor.full_name.clone()}</h1>
            <p class="meta">
                {mentor.designation.clone()}
                {mentor.specialty.clone().map(|s| view! { " · " <span class="tag">{s}</span> })}
            </p>
            {(!place.is_empty()).then(|| view! { <p class="meta">{place}</p> })}
            <p class="meta">{followers_label}</p>
            {(!is_self).then(|| view! {
                <ActionForm action=follow attr:class="inline">
                    <input type="hidden" name="mentor_id" value=id />
                    <input type="hidden" name="follow" value=if is_following { "false" } else { "true" } />
                    {if is_following {
                        view! { <button type="submit" class="button secondary" aria-pressed="true">"Following — unfollow"</button> }.into_any()
                    } else {
                        view! { <button type="submit" class="button">"Follow"</button> }.into_any()
                    }}
                </ActionForm>
                <FormError error=follow_error />
            })}
        </header>
        <section aria-labelledby="cases-h">
            <h2 id="cases-h">"Case sketches"</h2>
            {if cases.is_empty() {
                view! { <p class="empty">"No published cases yet."</p> }.into_any()
            } else {
                view! { <div class="case-list">{cases.into_iter().map(|case| view! { <CaseCard case /> }).collect_view()}</div> }.into_any()
            }}
        </section>
    }
}
