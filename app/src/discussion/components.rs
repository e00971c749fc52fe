use crate::discussion::api::{AddComment, HideComment, MarkAnswer};
use crate::discussion::{Comment, Discussion};
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, TextArea};
use crate::util::format_date;
use leptos::prelude::*;

/// What can be done in a discussion: comment, hide a comment, mark the answer. The page that
/// shows the discussion reloads it when any of them is done.
#[derive(Clone, Copy)]
pub struct Talk {
    pub add: ServerAction<AddComment>,
    pub hide: ServerAction<HideComment>,
    pub answer: ServerAction<MarkAnswer>,
}

impl Talk {
    pub fn new() -> Self {
        Self {
            add: ServerAction::new(),
            hide: ServerAction::new(),
            answer: ServerAction::new(),
        }
    }

    /// Changes whenever one of the actions completes.
    pub fn version(&self) -> (usize, usize, usize) {
        (
            self.add.version().get(),
            self.hide.version().get(),
            self.answer.version().get(),
        )
    }
}

impl Default for Talk {
    fn default() -> Self {
        Self::new()
    }
}

/// The discussion under a case: comments, one level of replies, the mentor's answer.
#[component]
pub fn DiscussionSection(discussion: Discussion, case_id: i64, talk: Talk) -> impl IntoView {
    let Talk { add, hide, answer } = talk;
    view! {
        <section class="discussion" aria-labelledby="discussion-h">
            <h2 id="discussion-h">"Discussion"</h2>
            <Thread discussion case_id add hide answer />
        </section>
    }
}

#[component]
fn Thread(
    discussion: Discussion,
    case_id: i64,
    add: ServerAction<AddComment>,
    hide: ServerAction<HideComment>,
    answer: ServerAction<MarkAnswer>,
) -> impl IntoView {
    let Discussion {
        comments,
        can_moderate,
        can_mark_answer,
        total,
        next,
        later_page,
    } = discussion;
    // Plain links: the case page reads `?comments=` (no JavaScript needed).
    let more_href = next.map(|after| {
        format!(
            "/cases/{case_id}?comments={}#discussion-h",
            crate::util::url_encode(&after)
        )
    });
    let errors = field_errors(add);
    let (hide_error, answer_error) = (action_error(hide), action_error(answer));
    let moderation_error = Signal::derive(move || hide_error.get().or_else(|| answer_error.get()));
    let top: Vec<Comment> = comments
        .iter()
        .filter(|c| c.parent_id.is_none())
        .cloned()
        .collect();
    view! {
        <p class="meta">{crate::util::count_label(total, "comment", "comments")}
            {later_page.then(|| view! { " · " <a href=format!("/cases/{case_id}#discussion-h")>"Back to the first comments"</a> })}</p>
        <FormError error=moderation_error />
        <ol class="comments">
            {top.into_iter().map(|comment| {
                let replies: Vec<Comment> = comments.iter().filter(|c| c.parent_id == Some(comment.id)).cloned().collect();
                let parent = comment.id;
                view! {
                    <li>
                        <CommentView comment can_moderate can_mark_answer hide answer />
                        {(!replies.is_empty()).then(|| view! {
                            <ol class="replies">
                                {replies.into_iter().map(|reply| view! {
                                    <li><CommentView comment=reply can_moderate can_mark_answer hide answer /></li>
                                }).collect_view()}
                            </ol>
                        })}
                        <details class="reply">
                            <summary>"Reply"</summary>
                            <ActionForm action=add attr:class="stack">
                                <input type="hidden" name="case_id" value=case_id />
                                <input type="hidden" name="parent_id" value=parent />
                                <label for=format!("reply-{parent}")>"Your reply"</label>
                                <textarea id=format!("reply-{parent}") name="body" rows="3" required=true></textarea>
                                <button type="submit" class="button small">"Post reply"</button>
                            </ActionForm>
                        </details>
                    </li>
                }
            }).collect_view()}
        </ol>
        {more_href.map(|href| view! {
            <nav class="pager" aria-label="Discussion pages"><a href=href rel="next">"More comments"</a></nav>
        })}
        <ActionForm action=add attr:class="stack comment-form">
            <input type="hidden" name="case_id" value=case_id />
            <TextArea name="body" label="Add a comment" errors rows=3 required=true
                hint="Markdown works. Keep it about the teaching; no patient details." />
            <button type="submit" class="button">"Post comment"</button>
        </ActionForm>
    }
}

#[component]
fn CommentView(
    comment: Comment,
    can_moderate: bool,
    can_mark_answer: bool,
    hide: ServerAction<HideComment>,
    answer: ServerAction<MarkAnswer>,
) -> impl IntoView {
    let id = comment.id;
    let is_answer = comment.is_answer;
    view! {
        <article class="comment" class:answer=is_answer id=format!("comment-{id}")>
            <p class="meta">
                <strong>{comment.author_name.clone()}</strong>
                " · " <time datetime=comment.created_at.to_rfc3339()>{format_date(comment.created_at)}</time>
                {is_answer.then(|| view! { " · " <span class="tag answer-tag">"✓ Mentor's answer"</span> })}
            </p>
            {if comment.hidden {
                view! { <p class="hidden-comment">"This comment was hidden by a moderator."</p> }.into_any()
            } else {
                view! { <div class="prose" inner_html=comment.body_html.clone()></div> }.into_any()
            }}
            {(!comment.hidden && (can_moderate || can_mark_answer)).then(|| view! {
                <div class="comment-actions">
                    {can_mark_answer.then(|| view! {
                        <ActionForm action=answer attr:class="inline">
                            <input type="hidden" name="comment_id" value=id />
                            <input type="hidden" name="answer" value=if is_answer { "false" } else { "true" } />
                            <button type="submit" class="link-button">
                                {if is_answer { "Unmark answer" } else { "Mark as answer" }}
                            </button>
                        </ActionForm>
                    })}
                    {can_moderate.then(|| view! {
                        <ActionForm action=hide attr:class="inline">
                            <input type="hidden" name="comment_id" value=id />
                            <button type="submit" class="link-button">"Hide"</button>
                        </ActionForm>
                    })}
                </div>
            })}
        </article>
    }
}
