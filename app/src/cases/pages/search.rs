use crate::cases::api::search_cases;
use crate::cases::{SearchHit, SearchResults};
use crate::ui::loader::Loaded;
use crate::util::format_date;
use crate::util::Choice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

/// Search and browse: a plain GET form, so it works without JavaScript and results have
/// shareable URLs (`/search?q=…&specialty=…&mentor=…&page=…`).
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.with(|q| q.get(name)).unwrap_or_default();
    let params = move || {
        (
            param("q"),
            param("specialty"),
            param("mentor"),
            param("tag"),
            param("kind"),
            param("page").parse::<i64>().unwrap_or(1).max(1),
        )
    };
    let results = Resource::new_blocking(params, |(q, specialty, mentor, tag, kind, page)| {
        search_cases(q, specialty, mentor, Some(tag), Some(kind), page)
    });
    let body = move |results: SearchResults| {
        let (q, specialty, mentor, tag, kind, _) = params();
        view! { <Results results q specialty mentor tag kind /> }
    };
    view! {
        <Title text="Search · Corridor" />
        <h1>"Search cases and lessons"</h1>
        <Loaded resource=results children=body />
    }
}

fn options(choices: Vec<Choice>, selected: &str) -> impl IntoView {
    choices
        .into_iter()
        .map(|c| {
            let is_selected = c.value == selected;
            view! { <option value=c.value selected=is_selected>{c.label}</option> }
        })
        .collect_view()
}

fn page_link(q: &str, specialty: &str, mentor: &str, tag: &str, kind: &str, page: i64) -> String {
    let enc = crate::util::url_encode;
    format!(
        "/search?q={}&specialty={}&mentor={}&tag={}&kind={}&page={page}",
        enc(q),
        enc(specialty),
        enc(mentor),
        enc(tag),
        enc(kind)
    )
}

#[component]
fn Results(
    results: SearchResults,
    q: String,
    specialty: String,
    mentor: String,
    tag: String,
    kind: String,
) -> impl IntoView {
    let SearchResults {
        hits,
        page,
        has_next,
        specialties,
        mentors,
    } = results;
    let prev = (page > 1).then(|| page_link(&q, &specialty, &mentor, &tag, &kind, page - 1));
    let next = has_next.then(|| page_link(&q, &specialty, &mentor, &tag, &kind, page + 1));
    let summary = if hits.is_empty() {
        "No cases match. Try fewer or different words.".to_owned()
    } else if q.is_empty() && !tag.is_empty() {
        format!("Newest cases tagged #{tag}")
    } else if q.is_empty() {
        "Newest cases".to_owned()
    } else {
        format!("Best matches for “{q}”")
    };
    view! {
        <form method="get" action="/search" class="search-form" role="search">
            <div class="field">
                <label for="search-q">"Words to find"</label>
                <input id="search-q" type="search" name="q" value=q.clone() maxlength="200"
                    placeholder="e.g. jaundice, \"inferior STEMI\", rash -drug" />
            </div>
            <div class="search-filters">
                <div class="field">
                    <label for="search-specialty">"Specialty"</label>
                    <select id="search-specialty" name="specialty">
                        <option value="" selected=specialty.is_empty()>"All specialties"</option>
                        {options(specialties, &specialty)}
                    </select>
                </div>
                <div class="field">
                    <label for="search-kind">"Kind"</label>
                    <select id="search-kind" name="kind">
                        <option value="" selected=kind.is_empty()>"Cases and lessons"</option>
                        <option value="case" selected=kind == "case">"Case sketches"</option>
                        <option value="lesson" selected=kind == "lesson">"Micro-lessons"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="search-mentor">"Mentor"</label>
                    <select id="search-mentor" name="mentor">
                        <option value="" selected=mentor.is_empty()>"All mentors"</option>
                        {options(mentors, &mentor)}
                    </select>
                </div>
            </div>
            {(!tag.is_empty()).then(|| view! {
                <p class="meta">
                    "Tag: " <span class="tag">"#" {tag.clone()}</span>
                    <input type="hidden" name="tag" value=tag.clone() />
                    " " <a href="/search">"clear"</a>
                </p>
            })}
            <button type="submit" class="button">"Search"</button>
        </form>
        <section aria-labelledby="results-h" aria-live="polite">
            <h2 id="results-h">{summary}</h2>
            <div class="case-list">
                {hits.into_iter().map(|hit| view! { <Hit hit /> }).collect_view()}
            </div>
            <nav class="pager" aria-label="Result pages">
                {prev.map(|href| view! { <A href=href attr:rel="prev">"← Previous"</A> })}
                <span>"Page " {page}</span>
                {next.map(|href| view! { <A href=href attr:rel="next">"Next →"</A> })}
            </nav>
        </section>
    }
}

#[component]
fn Hit(hit: SearchHit) -> impl IntoView {
    let SearchHit { case, snippet } = hit;
    let when = case.published_at.unwrap_or(case.updated_at);
    view! {
        <article class="card case-card">
            <h3><A href=case.url()>{case.title}</A></h3>
            <p class="meta">
                <crate::cases::cards::KindBadge kind=case.kind minutes=case.reading_minutes />
                <span class="tag">{case.specialty}</span>
                " · " <A href=format!("/mentors/{}", case.author_id)>{case.author_name}</A>
                " · " <time datetime=when.to_rfc3339()>{format_date(when)}</time>
            </p>
            <p class="snippet">
                {snippet.into_iter().map(|(text, hit)| if hit {
                    view! { <mark>{text}</mark> }.into_any()
                } else {
                    view! { <span>{text}</span> }.into_any()
                }).collect_view()}
            </p>
        </article>
    }
}
