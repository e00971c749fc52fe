//! `/department/members`: a department admin decides requests to join, invites colleagues,
//! removes members, deactivates accounts and checks registration numbers. Every form is a plain form (works without JavaScript).

use crate::department::api::members::{
    get_members, DecideMembership, InviteMember, MembersPage, RemoveMember, SetAccountActive,
    VerifyRegistration,
};
use crate::department::{Member, MembershipRequest};
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, TextField};
use crate::ui::loader::Loaded;
use crate::util::format_date;
use crate::util::url_encode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

#[derive(Clone, Copy)]
struct Actions {
    decide: ServerAction<DecideMembership>,
    invite: ServerAction<InviteMember>,
    remove: ServerAction<RemoveMember>,
    active: ServerAction<SetAccountActive>,
    verify: ServerAction<VerifyRegistration>,
}

#[component]
pub fn MembersAdminPage() -> impl IntoView {
    let actions = Actions {
        decide: ServerAction::new(),
        invite: ServerAction::new(),
        remove: ServerAction::new(),
        active: ServerAction::new(),
        verify: ServerAction::new(),
    };
    let query = use_query_map();
    let page = Resource::new_blocking(
        move || {
            (
                query.with(|q| (q.get("department"), q.get("after"))),
                actions.decide.version().get(),
                actions.invite.version().get(),
                actions.remove.version().get(),
                actions.active.version().get(),
                actions.verify.version().get(),
            )
        },
        |((department, after), ..)| get_members(department.and_then(|d| d.parse().ok()), after),
    );
    view! {
        <Title text="Members · Corridor" />
        <h1>"Members"</h1>
        <FormError error=action_error(actions.decide) />
        <FormError error=action_error(actions.remove) />
        <FormError error=action_error(actions.active) />
        <FormError error=action_error(actions.verify) />
        <Loaded resource=page let:data>
            <Members data actions />
        </Loaded>
    }
}

#[component]
fn Members(data: MembersPage, actions: Actions) -> impl IntoView {
    let MembersPage {
        department_id,
        department,
        requests,
        members,
        next,
        departments,
    } = data;
    let invite_errors = field_errors(actions.invite);
    // A plain post (this page has no island) comes back with `?invited=1`.
    let came_back = crate::ui::refused::came_back_with("invited").is_some();
    let invited = move || came_back || matches!(actions.invite.value().get(), Some(Ok(())));
    view! {
        <p class="lede">{department.clone()}</p>
        {(!departments.is_empty()).then(|| view! {
            <form method="get" action="/department/members" class="inline-form">
                <label for="department-switch">"Department"</label>
                <select id="department-switch" name="department">
                    {departments.into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=id == department_id>{name}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button small secondary">"Show"</button>
            </form>
        })}
        <section aria-labelledby="requests-heading">
            <h2 id="requests-heading">"Requests to join"</h2>
            {if requests.is_empty() {
                view! { <p class="empty">"No open requests."</p> }.into_any()
            } else {
                view! {
                    <ul class="card-list">
                        {requests.into_iter().map(|r| view! { <Request request=r actions /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="invite-heading">
            <h2 id="invite-heading">"Invite a colleague"</h2>
            <ActionForm action=actions.invite attr:class="stack" attr:novalidate=true>
                <FormError error=action_error(actions.invite) />
                <input type="hidden" name="department_id" value=department_id.to_string() />
                <TextField name="email" label="Colleague's e-mail" kind="email" errors=invite_errors required=true
                    hint="They get a link that confirms their address and joins this department." />
                <button type="submit" class="button">"Send the invitation"</button>
            </ActionForm>
            <Show when=invited>
                <p class="notice success" role="status">"Invitation sent."</p>
            </Show>
        </section>
        <section aria-labelledby="members-heading">
            <h2 id="members-heading">"Members"</h2>
            {if members.is_empty() {
                view! { <p class="empty">"No members yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="card-list">
                        {members.into_iter().map(|m| view! { <MemberItem member=m actions /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {next.map(|cursor| view! {
                <p><A href=format!("/department/members?department={department_id}&after={}", url_encode(&cursor))>"More members"</A></p>
            })}
        </section>
    }
}

#[component]
fn Request(request: MembershipRequest, actions: Actions) -> impl IntoView {
    let MembershipRequest {
        user_id,
        full_name,
        email,
        designation,
        medical_council,
        registration_number,
        department_id,
        requested_at,
        ..
    } = request;
    let reason_id = format!("decline-reason-{user_id}");
    view! {
        <li class="card">
            <h3>{full_name}</h3>
            <p>{email} {designation.map(|d| format!(" · {d}"))}</p>
            <p class="meta">
                {match (medical_council, registration_number) {
                    (Some(c), Some(n)) => format!("Registration {n} ({}) · self-declared", c.to_uppercase()),
                    _ => "No registration number given".to_owned(),
                }}
                {requested_at.map(|at| format!(" · asked {}", format_date(at)))}
            </p>
            <div class="actions">
                <ActionForm action=actions.decide attr:class="inline">
                    <input type="hidden" name="user_id" value=user_id.to_string() />
                    <input type="hidden" name="department_id" value=department_id.to_string() />
                    <input type="hidden" name="decision" value="approve" />
                    <button type="submit" class="button small">"Approve"</button>
                </ActionForm>
                <ActionForm action=actions.decide attr:class="inline-form">
                    <input type="hidden" name="user_id" value=user_id.to_string() />
                    <input type="hidden" name="department_id" value=department_id.to_string() />
                    <input type="hidden" name="decision" value="decline" />
                    <label for=reason_id.clone()>"Reason for declining"</label>
                    <input id=reason_id type="text" name="reason" maxlength="500" required />
                    <button type="submit" class="button small secondary">"Decline"</button>
                </ActionForm>
            </div>
        </li>
    }
}

#[component]
fn MemberItem(member: Member, actions: Actions) -> impl IntoView {
    let Member {
        id,
        full_name,
        email,
        role,
        designation,
        medical_council,
        registration_number,
        registration_verified_at,
        deactivated_at,
    } = member;
    let has_number = registration_number.is_some();
    let verified = registration_verified_at.is_some();
    let active = deactivated_at.is_none();
    let reason_id = format!("deactivate-reason-{id}");
    view! {
        <li class="card">
            <h3>{full_name} " " <span class="badge-role">{role.label()}</span>
                {(!active).then(|| view! { " " <span class="badge-warn">"Deactivated"</span> })}
            </h3>
            <p>{email} {designation.map(|d| format!(" · {d}"))}</p>
            <p class="meta">
                {match (medical_council, registration_number) {
                    (Some(c), Some(n)) => format!("Registration {n} ({})", c.to_uppercase()),
                    (None, Some(n)) => format!("Registration {n}"),
                    _ => "No registration number given".to_owned(),
                }}
                {match (has_number, registration_verified_at) {
                    (true, Some(at)) => format!(" · verified {}", format_date(at)),
                    (true, None) => " · self-declared".to_owned(),
                    _ => String::new(),
                }}
            </p>
            <div class="actions">
                {(has_number && !verified).then(|| view! {
                    <ActionForm action=actions.verify attr:class="inline">
                        <input type="hidden" name="user_id" value=id.to_string() />
                        <button type="submit" class="button small">"Mark registration verified"</button>
                    </ActionForm>
                })}
                <ActionForm action=actions.remove attr:class="inline">
                    <input type="hidden" name="user_id" value=id.to_string() />
                    <button type="submit" class="button small secondary">"Remove from department"</button>
                </ActionForm>
                {if active {
                    view! {
                        <ActionForm action=actions.active attr:class="inline-form">
                            <input type="hidden" name="user_id" value=id.to_string() />
                            <input type="hidden" name="active" value="false" />
                            <label for=reason_id.clone()>"Reason"</label>
                            <input id=reason_id type="text" name="reason" maxlength="500" required />
                            <button type="submit" class="button small danger">"Deactivate account"</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! {
                        <ActionForm action=actions.active attr:class="inline">
                            <input type="hidden" name="user_id" value=id.to_string() />
                            <input type="hidden" name="active" value="true" />
                            <button type="submit" class="button small">"Reactivate account"</button>
                        </ActionForm>
                    }.into_any()
                }}
            </div>
        </li>
    }
}
