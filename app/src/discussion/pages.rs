use crate::accounts::components::AuthContext;
use crate::discussion::api::get_notifications;
use crate::discussion::{Notification, NotificationKind};
use crate::ui::loader::Loaded;
use crate::util::format_date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    let mark_read = auth.mark_read;
    let list = Resource::new_blocking(move || mark_read.version().get(), |_| get_notifications());
    let body = move |items: Vec<Notification>| {
        if items.is_empty() {
            return view! { <p class="empty">"Nothing yet. You will hear here when a mentor you follow publishes, or someone replies to you."</p> }.into_any();
        }
        let unread = items.iter().any(|n| !n.read);
        view! {
            {unread.then(|| view! {
                <ActionForm action=mark_read attr:class="inline">
                    <button type="submit" class="button secondary small">"Mark all as read"</button>
                </ActionForm>
            })}
            <ul class="notifications">
                {items.into_iter().map(|n| view! { <Item n /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <Title text="Notifications · Corridor" />
        <h1>"Notifications"</h1>
        <Loaded resource=list children=body />
    }
}

#[component]
fn Item(n: Notification) -> impl IntoView {
    let href = n.href();
    let (who, what) = match n.kind {
        NotificationKind::CommentReply => (Some(n.actor_name), " replied to your comment on "),
        NotificationKind::CasePublished => (Some(n.actor_name), " published "),
        consult => (None, crate::consults::headline(consult)),
    };
    let what = if who.is_some() {
        what.to_owned()
    } else {
        format!("{what}: ")
    };
    view! {
        <li class="notification" class:unread=!n.read>
            {(!n.read).then(|| view! { <span class="visually-hidden">"Unread: "</span> })}
            {who.map(|who| view! { <strong>{who}</strong> })}
            {what}
            <A href=href>{n.case_title}</A>
            " · " <time datetime=n.created_at.to_rfc3339()>{format_date(n.created_at)}</time>
        </li>
    }
}
