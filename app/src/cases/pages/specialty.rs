use crate::cases::api::mentors::{get_specialty, SetSpecialtyFollowing};
use crate::cases::api::search_cases;
use crate::cases::cards::CaseCard;
use crate::error::AppError;
use crate::ui::errors::FormError;
use crate::ui::fields::action_error;
use crate::ui::loader::Loaded;
use crate::util::count_label;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

/// A specialty: follow it, and browse its newest cases.
#[component]
pub fn SpecialtyPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug")).unwrap_or_default();
    let follow = ServerAction::<SetSpecialtyFollowing>::new();
    let data = Resource::new_blocking(
        move || (slug(), follow.version().get()),
        |(slug, _)| async move {
            if slug.is_empty() {
                return Err(AppError::NotFound);
            }
            let page = get_specialty(slug.clone()).await?;
            let cases = search_cases(String::new(), slug, String::new(), None, None, 1).await?;
            Ok((page, cases))
        },
    );
    let follow_error = action_error(follow);
    let body = move |(page, cases): (crate::cases::SpecialtyPage, crate::cases::SearchResults)| {
        let followers = count_label(page.followers, "follower", "followers");
        let more_href = format!("/search?specialty={}&page=2", page.slug);
        let name = page.name.clone();
        view! {
            <Title text=format!("{} · Corridor", page.name) />
            <header class="profile">
                <h1>{page.name.clone()}</h1>
                <p class="meta">{followers}</p>
                <ActionForm action=follow attr:class="inline">
                    <input type="hidden" name="specialty" value=page.slug.clone() />
                    <input type="hidden" name="follow" value=if page.following { "false" } else { "true" } />
                    {if page.following {
                        view! { <button type="submit" class="button secondary" aria-pressed="true">"Following — unfollow"</button> }.into_any()
                    } else {
                        view! { <button type="submit" class="button">"Follow specialty"</button> }.into_any()
                    }}
                </ActionForm>
                <FormError error=follow_error />
            </header>
            <section aria-labelledby="newest-h">
                <h2 id="newest-h">"Newest cases"</h2>
                {if cases.hits.is_empty() {
                    view! { <p class="empty">"No cases in this specialty yet."</p> }.into_any()
                } else {
                    view! {
                        <div class="case-list">
                            {cases.hits.into_iter().map(|hit| view! { <CaseCard case=hit.case show_author=true /> }).collect_view()}
                        </div>
                    }.into_any()
                }}
                {cases.has_next.then(|| view! {
                    <p><A href=more_href>"More cases in " {name}</A></p>
                })}
            </section>
        }
    };
    view! { <Loaded resource=data children=body /> }
}
