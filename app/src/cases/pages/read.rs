use crate::cases::api::{get_case, list_cases, ApproveCase, PublishCase, UnpublishCase};
use crate::cases::cards::CaseCard;
use crate::cases::{CaseDetail, CaseRevision, CaseStatus, Kind, Visibility};
use crate::discussion::components::{DiscussionSection, Talk};
use crate::error::AppError;
use crate::media::figure::AnnotatedFigure;
use crate::ui::loader::Loaded;
use crate::util::format_date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};

#[component]
pub fn CaseListPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query
            .with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()))
            .unwrap_or(1)
            .max(1)
    };
    let cases = Resource::new_blocking(page, list_cases);
    let body = |list: crate::cases::CasePage| {
        let prev = (list.page > 1).then(|| format!("/cases?page={}", list.page - 1));
        let next = list
            .has_next
            .then(|| format!("/cases?page={}", list.page + 1));
        view! {
            {if list.items.is_empty() {
                view! { <p class="empty">"No published cases yet."</p> }.into_any()
            } else {
                view! {
                    <div class="case-list">
                        {list.items.into_iter().map(|case| view! { <CaseCard case show_author=true /> }).collect_view()}
                    </div>
                }.into_any()
            }}
            <nav class="pager" aria-label="Pages">
                {prev.map(|href| view! { <A href=href attr:rel="prev">"← Newer"</A> })}
                <span>"Page " {list.page}</span>
                {next.map(|href| view! { <A href=href attr:rel="next">"Older →"</A> })}
            </nav>
        }
    };
    view! {
        <Title text="Cases · Corridor" />
        <h1>"Case sketches"</h1>
        <Loaded resource=cases children=body />
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    // A later page of the discussion: `?comments=` from its "More comments" link.
    let query = use_query_map();
    let comments = move || query.with(|q| q.get("comments"));
    let publish = ServerAction::<PublishCase>::new();
    let unpublish = ServerAction::<UnpublishCase>::new();
    let approve = ServerAction::<ApproveCase>::new();
    // The discussion comes with the case (one query), so its actions reload the case.
    let talk = Talk::new();
    let case = Resource::new_blocking(
        move || {
            (
                id(),
                comments(),
                publish.version().get(),
                unpublish.version().get(),
                approve.version().get(),
                talk.version(),
            )
        },
        |(id, comments, ..)| async move {
            match id {
                Some(id) => get_case(id, comments).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Loaded resource=case let:case>
            <CaseView case publish unpublish approve talk />
        </Loaded>
    }
}

#[component]
fn CaseView(
    case: CaseDetail,
    publish: ServerAction<PublishCase>,
    unpublish: ServerAction<UnpublishCase>,
    approve: ServerAction<ApproveCase>,
    talk: Talk,
) -> impl IntoView {
    let CaseDetail {
        summary,
        body_html,
        author_designation,
        co_authors,
        is_author,
        visibility,
        revisions,
        specialty_slug,
        tags,
        images,
        consent,
        review,
        related,
        has_quiz,
        discussion,
        ..
    } = case;
    let is_draft = summary.status == CaseStatus::Draft;
    let id = summary.id;
    let kind = summary.kind;
    let edit_href = match kind {
        Kind::Case => format!("/cases/{id}/edit"),
        Kind::Lesson => format!("/lessons/{id}/edit"),
    };
    let consent_on_file = !images.is_empty() && consent.is_some();
    let publish_error = crate::ui::fields::action_error(publish);
    let overridden = is_draft && crate::ui::refused::came_back_with("overridden").is_some();
    let approve_error = crate::ui::fields::action_error(approve);
    view! {
        <Title text=format!("{} · Corridor", summary.title) />
        <article class="case">
            <header class="case-header">
                {is_draft.then(|| view! {
                    <p class="draft-banner" role="status">{if co_authors.is_empty() { "Draft preview — only you can see this until you publish it." } else { "Draft preview — only its authors can see this until it is published." }}</p>
                })}
                {review.pending.then(|| view! {
                    <div class="draft-banner review-banner" role="status">
                        <p>"Awaiting peer review — readers see this once another mentor of the department approves it."</p>
                        {review.can_approve.then(|| view! {
                            <ActionForm action=approve attr:class="inline">
                                <input type="hidden" name="id" value=id />
                                <button type="submit" class="button">"Approve for readers"</button>
                            </ActionForm>
                        })}
                        <crate::ui::errors::FormError error=approve_error />
                    </div>
                })}
                {(kind == Kind::Lesson).then(|| view! {
                    <p class="kicker">{format!("Micro-lesson · {} min read", summary.reading_minutes)}</p>
                })}
                <h1>{summary.title.clone()}</h1>
                <p class="meta">
                    <A href=format!("/specialties/{specialty_slug}") attr:class="tag">{summary.specialty.clone()}</A>
                    " · by " <A href=format!("/mentors/{}", summary.author_id)>{summary.author_name.clone()}</A>
                    {author_designation.map(|d| view! { ", " {d} })}
                    {co_authors_line(&co_authors)}
                    {summary.published_at.map(|at| view! {
                        " · " <time datetime=at.to_rfc3339()>{format_date(at)}</time>
                    })}
                </p>
                {(visibility != Visibility::All).then(|| view! {
                    <p class="meta"><span class="tag audience">"Shared with: " {visibility.label().to_lowercase()}</span></p>
                })}
                {consent_on_file.then(|| view! {
                    <p class="meta"><span class="tag consent">"✓ Consent on file"</span></p>
                })}
                {review.approved_by.clone().map(|name| view! {
                    <p class="meta">"Peer reviewed by " {name}</p>
                })}
                <p class="lead">{summary.summary.clone()}</p>
            </header>
            <div class="prose case-body" inner_html=body_html></div>
            {(!images.is_empty()).then(|| view! {
                <section class="figures" aria-label="Images">
                    {images.into_iter().map(|image| view! { <AnnotatedFigure image /> }).collect_view()}
                </section>
            })}
            {(has_quiz && !is_draft).then(|| view! {
                <p class="module-link"><A href=format!("/cases/{id}/quiz") attr:class="button">"Take the case module"</A></p>
            })}
            {(!related.is_empty()).then(|| view! {
                <section class="related" aria-labelledby="related-h">
                    <h2 id="related-h">"Related cases"</h2>
                    <div class="case-list">
                        {related.into_iter().map(|case| view! { <CaseCard case show_author=true /> }).collect_view()}
                    </div>
                </section>
            })}
            {(!tags.is_empty()).then(|| view! {
                <ul class="tag-list" aria-label="Tags">
                    {tags.into_iter().map(|t| view! {
                        <li><A href=format!("/search?tag={t}") attr:class="tag">"#" {t.clone()}</A></li>
                    }).collect_view()}
                </ul>
            })}
            {is_author.then(|| view! {
                <footer class="author-actions">
                    <A href=edit_href attr:class="button secondary">"Edit"</A>
                    <A href=format!("/cases/{id}/images") attr:class="button secondary">"Images"</A>
                    <A href=format!("/cases/{id}/quiz/edit") attr:class="button secondary">"Module"</A>
                    {if is_draft {
                        view! {
                            <ActionForm action=publish attr:class="inline">
                                <input type="hidden" name="id" value=id />
                                <button type="submit" class="button">"Publish"</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! {
                            <ActionForm action=unpublish attr:class="inline">
                                <input type="hidden" name="id" value=id />
                                <button type="submit" class="button secondary">"Unpublish"</button>
                            </ActionForm>
                        }.into_any()
                    }}
                    {move || match crate::privacy::components::privacy_block(publish_error.get()) {
                        Some((case_id, findings)) => view! {
                            <crate::privacy::components::PrivacyPanel case_id=Some(case_id) findings blocking=true />
                        }.into_any(),
                        None => view! {
                            // An override posted from the blocked panel comes back here.
                            {overridden.then(|| view! { <p class="notice" role="status">"Override recorded. Publish again when every item is dealt with."</p> })}
                            <crate::ui::errors::FormError error=publish_error />
                            {matches!(publish_error.get(), Some(AppError::ConsentRequired { .. } | AppError::TeachingConsentRequired { .. })).then(|| view! {
                                <p><A href=format!("/cases/{id}/images")>"Record consent on the Images page"</A></p>
                            })}
                        }.into_any(),
                    }}
                </footer>
                <RevisionHistory revisions />
            })}
        </article>
        <DiscussionSection discussion case_id=id talk />
    }
}

/// " and B" / ", B and C" after the author's name: "By A and B" for a case written together
/// (made from a consult).
fn co_authors_line(co_authors: &[String]) -> Option<String> {
    let (last, rest) = co_authors.split_last()?;
    Some(
        rest.iter()
            .map(|name| format!(", {name}"))
            .chain([format!(" and {last}")])
            .collect(),
    )
}

/// The author's view of every published version, newest first.
#[component]
fn RevisionHistory(revisions: Vec<CaseRevision>) -> impl IntoView {
    (!revisions.is_empty()).then(|| {
        view! {
            <section class="revisions" aria-labelledby="revisions-h">
                <h2 id="revisions-h">"Revision history"</h2>
                <ol reversed>
                    {revisions.into_iter().map(|r| view! {
                        <li>
                            <details>
                                <summary>
                                    "Revision " {r.revision} " · " <time datetime=r.created_at.to_rfc3339()>{format_date(r.created_at)}</time>
                                    " · " {r.title.clone()}
                                </summary>
                                <div class="prose" inner_html=r.body_html></div>
                            </details>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        }
    })
}
