use crate::accounts::api::{current_user, Login, Logout, Register, ResetPassword, VerifyEmail};
use crate::accounts::{Role, SessionUser};
use crate::discussion::api::MarkNotificationsRead;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::A;

/// The signed-in user and the actions that change who that is, shared by every page.
#[derive(Clone, Copy)]
pub struct AuthContext {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub register: ServerAction<Register>,
    /// Confirming an address changes what the header and notices say.
    pub verify: ServerAction<VerifyEmail>,
    /// A new password signs this browser in.
    pub reset: ServerAction<ResetPassword>,
    pub mark_read: ServerAction<MarkNotificationsRead>,
    pub user: Resource<Result<Option<SessionUser>, AppError>>,
}

impl AuthContext {
    pub fn new() -> Self {
        let login = ServerAction::<Login>::new();
        let logout = ServerAction::<Logout>::new();
        let register = ServerAction::<Register>::new();
        let verify = ServerAction::<VerifyEmail>::new();
        let reset = ServerAction::<ResetPassword>::new();
        let mark_read = ServerAction::<MarkNotificationsRead>::new();
        // Blocking: the header and access checks must be right in the first HTML sent.
        let user = Resource::new_blocking(
            move || {
                (
                    login.version().get(),
                    logout.version().get(),
                    register.version().get(),
                    verify.version().get(),
                    reset.version().get(),
                    mark_read.version().get(),
                )
            },
            |_| current_user(),
        );
        Self {
            login,
            logout,
            register,
            verify,
            reset,
            mark_read,
            user,
        }
    }
}

impl Default for AuthContext {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_auth() -> Option<AuthContext> {
    use_context::<AuthContext>()
}

#[component]
pub fn Header() -> impl IntoView {
    let Some(auth) = use_auth() else {
        return ().into_any();
    };
    let user_menu = move || {
        Suspend::new(async move {
            match auth.user.await {
                Ok(Some(user)) => view! { <UserMenu user /> }.into_any(),
                _ => view! {
                    <ul class="nav-links">
                        <li><A href="/login">"Sign in"</A></li>
                        <li><A href="/register" attr:class="button small">"Join"</A></li>
                    </ul>
                }
                .into_any(),
            }
        })
    };
    view! {
        <header class="site-header">
            <nav aria-label="Main">
                <A href="/" attr:class="brand">
                    <span aria-hidden="true" class="brand-mark">"◆"</span>
                    " Corridor"
                </A>
                <Transition fallback=|| ()>{user_menu}</Transition>
            </nav>
        </header>
    }
    .into_any()
}

#[component]
fn UserMenu(user: SessionUser) -> impl IntoView {
    let logout = use_auth().map(|a| a.logout);
    let first_name = user
        .full_name
        .split_whitespace()
        .find(|w| !w.ends_with('.') && !w.eq_ignore_ascii_case("dr"))
        .unwrap_or(&user.full_name)
        .to_owned();
    view! {
        <ul class="nav-links">
            <li><A href="/cases">"Cases"</A></li>
            <li><A href="/search">"Search"</A></li>
            {user.role.can_author().then(|| view! { <li><A href="/cases/new">"Write"</A></li> <li><A href="/quiz/bank">"Questions"</A></li> })}
            {(user.role == Role::SiteAdmin).then(|| view! { <li><A href="/admin">"Admin"</A></li> })}
            <li><A href="/cme">"CME"</A></li>
            {(user.role == Role::DepartmentAdmin).then(|| view! { <li><A href="/department">"Department"</A></li> })}
            {matches!(user.role, Role::SiteAdmin | Role::DepartmentAdmin).then(|| view! { <li><A href="/department/members">"Members"</A></li> })}
            {matches!(user.role, Role::SiteAdmin | Role::DepartmentAdmin).then(|| view! { <li><A href="/admin/settings">"Settings"</A></li> })}
            <li>
                <A href="/notifications" attr:aria-label=format!("Notifications, {} unread", user.unread)>
                    "Alerts"
                    {(user.unread > 0).then(|| view! { <span class="badge" aria-hidden="true">{user.unread}</span> })}
                </A>
            </li>
            <li class="who"><A href="/account" attr:title=format!("Your account: {}", user.full_name)>{first_name}</A></li>
            <li>
                {logout.map(|logout| view! {
                    <ActionForm action=logout attr:class="inline">
                        <button type="submit" class="link-button">"Sign out"</button>
                    </ActionForm>
                })}
            </li>
        </ul>
    }
}

/// Under the header: what the signed-in person still has to do before their membership counts.
#[component]
pub fn AccountNotice() -> impl IntoView {
    let Some(auth) = use_auth() else {
        return ().into_any();
    };
    let resend = ServerAction::<crate::accounts::api::ResendVerification>::new();
    // A plain post (the header is not an island) comes back with `?resent=1`.
    let resent = crate::ui::refused::came_back_with("resent").is_some();
    let notice = move || {
        Suspend::new(async move {
            match auth.user.await {
                Ok(Some(user)) if !user.email_verified => view! {
                    <aside class="notice account-notice" aria-label="Your account">
                        <p>"Please confirm your e-mail address: open the link we mailed you. "
                           {user.requested_department.map(|d| format!("Then your request to join {d} goes to its admin."))}</p>
                        <ActionForm action=resend attr:class="inline">
                            <button type="submit" class="link-button">"Send the link again"</button>
                        </ActionForm>
                        {move || match resend.value().get().or(resent.then_some(Ok(()))) {
                            Some(Ok(())) => Some(view! { <p>"Sent. It may take a minute to arrive."</p> }.into_any()),
                            Some(Err(error)) => Some(view! { <p class="field-error">{error.to_string()}</p> }.into_any()),
                            None => None,
                        }}
                    </aside>
                }
                .into_any(),
                Ok(Some(user)) if user.department_id.is_none() && user.requested_department.is_some() => view! {
                    <aside class="notice account-notice" aria-label="Your account">
                        <p>"Your request to join " {user.requested_department} " waits for its admin. "
                           "Until then you see cases shared with every signed-in clinician."</p>
                    </aside>
                }
                .into_any(),
                _ => ().into_any(),
            }
        })
    };
    view! { <Transition fallback=|| ()>{notice}</Transition> }.into_any()
}
