use crate::api::auth::{current_user, Login, Logout, Register};
use crate::api::discussion::MarkNotificationsRead;
use crate::error::AppError;
use crate::model::{Role, SessionUser};
use leptos::prelude::*;
use leptos_router::components::A;

/// The signed-in user and the actions that change who that is, shared by every page.
#[derive(Clone, Copy)]
pub struct AuthContext {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub register: ServerAction<Register>,
    pub mark_read: ServerAction<MarkNotificationsRead>,
    pub user: Resource<Result<Option<SessionUser>, AppError>>,
}

impl AuthContext {
    pub fn new() -> Self {
        let login = ServerAction::<Login>::new();
        let logout = ServerAction::<Logout>::new();
        let register = ServerAction::<Register>::new();
        let mark_read = ServerAction::<MarkNotificationsRead>::new();
        // Blocking: the header and access checks must be right in the first HTML sent.
        let user = Resource::new_blocking(
            move || {
                (
                    login.version().get(),
                    logout.version().get(),
                    register.version().get(),
                    mark_read.version().get(),
                )
            },
            |_| current_user(),
        );
        Self {
            login,
            logout,
            register,
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
            {user.role.can_author().then(|| view! { <li><A href="/cases/new">"Write"</A></li> })}
            {(user.role == Role::SiteAdmin).then(|| view! { <li><A href="/admin">"Admin"</A></li> })}
            <li><A href="/cme">"CME"</A></li>
            {(user.role == Role::DepartmentAdmin).then(|| view! { <li><A href="/department">"Department"</A></li> })}
            {matches!(user.role, Role::SiteAdmin | Role::DepartmentAdmin).then(|| view! { <li><A href="/admin/settings">"Settings"</A></li> })}
            <li>
                <A href="/notifications" attr:aria-label=format!("Notifications, {} unread", user.unread)>
                    "Alerts"
                    {(user.unread > 0).then(|| view! { <span class="badge" aria-hidden="true">{user.unread}</span> })}
                </A>
            </li>
            <li class="who" title=user.full_name.clone()>{first_name}</li>
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
