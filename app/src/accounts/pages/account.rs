//! The pages a mailed link leads to (confirm an address, reset a password, accept an
//! invitation), the password-reset request, and one's own account and membership.

use crate::accounts::api::{get_form_choices, Confirmed, ForgotPassword, VerifyEmail};
use crate::accounts::components::AuthContext;
use crate::accounts::SessionUser;
use crate::department::api::members::{
    get_invitation, AcceptInvitation, Invitation, LeaveDepartment, RequestMembership,
};
use crate::error::AppError;
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, SelectField, TextField};
use crate::ui::loader::{Derived, Loaded};
use crate::util::Choice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

fn query(name: &'static str) -> String {
    use_query_map()
        .with_untracked(|q| q.get(name))
        .unwrap_or_default()
}

/// `/verify-email?token=…`: one button confirms the address (a link in a mail never changes
/// anything by itself: mail scanners open links too).
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let token = query("token");
    view! {
        <Title text="Confirm your address · Corridor" />
        <section class="narrow">
            <h1>"Confirm your e-mail address"</h1>
            <VerifyEmailForm token />
        </section>
    }
}

/// The confirm button and, with JavaScript, what confirming did, in place.
#[island]
fn VerifyEmailForm(token: String) -> impl IntoView {
    crate::ui::islands::report_ready();
    crate::ui::refused::provide_in_island();
    let verify = ServerAction::<VerifyEmail>::new();
    let home = || view! { <p><a href="/">"Go to your home page"</a></p> };
    let outcome = move || {
        verify.value().get().map(|result| match result {
            Ok(Confirmed::Address) => view! {
                <p class="notice success" role="status">"Thank you — your address is confirmed."</p>
                {home()}
            }
            .into_any(),
            Ok(Confirmed::Joined(department)) => view! {
                <p class="notice success" role="status">
                    "Thank you — your address is confirmed and you are now a member of "
                    <strong>{department}</strong> "."
                </p>
                {home()}
            }
            .into_any(),
            Ok(Confirmed::Waiting(department)) => view! {
                <p class="notice success" role="status">
                    "Thank you — your address is confirmed. Your request to join "
                    <strong>{department}</strong>
                    " now waits for the department's admin; you will get an e-mail when it is decided."
                </p>
                {home()}
            }
            .into_any(),
            Err(error) => view! { <FormError error=Signal::derive(move || Some(error.clone())) /> }
                .into_any(),
        })
    };
    move || {
        let token = token.clone();
        outcome().unwrap_or_else(move || {
            view! {
                <ActionForm action=verify attr:class="stack">
                    <input type="hidden" name="token" value=token.clone() />
                    <p>"Confirm that this address is yours to finish setting up your account."</p>
                    <button type="submit" class="button" disabled=move || verify.pending().get()>"Confirm my address"</button>
                </ActionForm>
            }
            .into_any()
        })
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let forgot = ServerAction::<ForgotPassword>::new();
    let errors = field_errors(forgot);
    let sent = query("sent") == "1";
    let done = move || sent || matches!(forgot.value().get(), Some(Ok(())));
    view! {
        <Title text="Forgot your password · Corridor" />
        <section class="narrow">
            <h1>"Reset your password"</h1>
            <Show
                when=done
                fallback=move || view! {
                    <ActionForm action=forgot attr:class="stack" attr:novalidate=true>
                        <FormError error=action_error(forgot) />
                        <p>"Enter the address you registered with. We will mail you a link to choose a new password."</p>
                        <TextField name="email" label="E-mail" kind="email" errors required=true autocomplete="username" />
                        <button type="submit" class="button" disabled=move || forgot.pending().get()>"Send the link"</button>
                    </ActionForm>
                }
            >
                <p class="notice success" role="status">
                    "If that address has a Corridor account, a link to reset its password is on its way. "
                    "It works for one hour."
                </p>
            </Show>
            <p><A href="/login">"Back to sign in"</A></p>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let reset = expect_context::<AuthContext>().reset;
    let errors = field_errors(reset);
    let token = query("token");
    let token_error = move || errors.get().and_then(|e| e.get("token").map(str::to_owned));
    view! {
        <Title text="Choose a new password · Corridor" />
        <section class="narrow">
            <h1>"Choose a new password"</h1>
            <ActionForm action=reset attr:class="stack" attr:novalidate=true>
                <FormError error=action_error(reset) />
                {move || token_error().map(|message| view! {
                    <p class="field-error" role="alert">{message} " " <A href="/forgot-password">"Ask for a new link"</A></p>
                })}
                <input type="hidden" name="token" value=token.clone() />
                <TextField name="password" label="New password" kind="password" errors required=true
                    autocomplete="new-password" hint="At least 10 characters. Setting it signs you out on every other device." />
                <button type="submit" class="button" disabled=move || reset.pending().get()>"Save the new password"</button>
            </ActionForm>
        </section>
    }
}

/// `/invitation?token=…`: join with a new account, or accept with the invited existing one.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    let token = query("token");
    let accept = ServerAction::<AcceptInvitation>::new();
    let register = auth.register;
    let errors = field_errors(register);
    let invitation = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        get_invitation,
    );
    let data = Derived(move || async move {
        let invitation = invitation.await?;
        let signed_in = matches!(auth.user.await, Ok(Some(_)));
        Ok((invitation, signed_in))
    });
    let body = move |(invitation, signed_in): (Invitation, bool)| {
        let token = token.clone();
        {
            let intro = view! {
                <p>"You are invited to join " <strong>{invitation.department.clone()}</strong>
                   " as " <strong>{invitation.email.clone()}</strong> "."</p>
            };
            if signed_in || invitation.registered {
                let next = format!("/invitation?token={}", crate::util::url_encode(&token));
                view! {
                    {intro}
                    {if signed_in {
                        view! {
                            <ActionForm action=accept attr:class="stack">
                                <FormError error=action_error(accept) />
                                <input type="hidden" name="token" value=token.clone() />
                                <button type="submit" class="button">"Join the department"</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! {
                            <p>"That address already has an account. "
                               <A href=format!("/login?next={}", crate::util::url_encode(&next))>"Sign in"</A>
                               " to accept."</p>
                        }.into_any()
                    }}
                }
                .into_any()
            } else {
                view! {
                    {intro}
                    <ActionForm action=register attr:class="stack" attr:novalidate=true>
                        <FormError error=action_error(register) />
                        <input type="hidden" name="invite" value=token.clone() />
                        <input type="hidden" name="email" value=invitation.email.clone() />
                        <input type="hidden" name="department_id" value="" />
                        <input type="hidden" name="specialty" value="" />
                        <input type="hidden" name="medical_council" value="" />
                        <input type="hidden" name="registration_number" value="" />
                        <TextField name="full_name" label="Full name" errors required=true autocomplete="name" />
                        <TextField name="password" label="Password" kind="password" errors required=true
                            autocomplete="new-password" hint="At least 10 characters." />
                        <TextField name="designation" label="Designation" errors autocomplete="organization-title" />
                        <button type="submit" class="button">"Create my account and join"</button>
                    </ActionForm>
                }
                .into_any()
            }
        }
    };
    view! {
        <Title text="Invitation · Corridor" />
        <section class="narrow">
            <h1>"Join your department on Corridor"</h1>
            <Loaded resource=data suspense=true children=body />
        </section>
    }
}

/// `/account`: where one belongs, leaving, asking to join.
#[component]
pub fn AccountPage() -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    let leave = ServerAction::<LeaveDepartment>::new();
    let join = ServerAction::<RequestMembership>::new();
    let errors = field_errors(join);
    let choices = Resource::new_blocking(|| (), |_| get_form_choices());
    let refreshed = Resource::new_blocking(
        move || (leave.version().get(), join.version().get()),
        |_| crate::accounts::api::current_user(),
    );
    let data = Derived(move || async move {
        let _ = auth.user.await;
        let user = refreshed.await?.ok_or(AppError::Unauthenticated)?;
        let choices = choices.await.map(|c| c.departments).unwrap_or_default();
        Ok((user, choices))
    });
    let body = move |(user, choices): (SessionUser, Vec<Choice>)| {
        let membership = match (user.department_id, user.requested_department.clone()) {
            (Some(department), _) => {
                let name = choices
                    .iter()
                    .find(|c| c.value == department.to_string())
                    .map(|c| c.label.clone())
                    .unwrap_or_default();
                view! {
                    <p>"You are a verified member of " <strong>{name}</strong> "."</p>
                    <ActionForm action=leave attr:class="stack">
                        <FormError error=action_error(leave) />
                        <p class="hint">"Leaving ends your access to the department's cases and assignments at once. Your cases, answers and credit stay yours."</p>
                        <button type="submit" class="button secondary">"Leave this department"</button>
                    </ActionForm>
                }
                .into_any()
            }
            (None, Some(requested)) => view! {
                <p class="notice" role="status">"Your request to join " <strong>{requested}</strong>
                   " waits for its admin" {(!user.email_verified).then_some(" (confirm your e-mail address first)")} "."</p>
            }
            .into_any(),
            (None, None) => view! {
                <p>"You do not belong to a department yet: you see cases shared with every signed-in clinician."</p>
                <ActionForm action=join attr:class="stack" attr:novalidate=true>
                    <FormError error=action_error(join) />
                    <SelectField name="department_id" label="Ask to join" errors choices=choices required=true />
                    <button type="submit" class="button">"Send the request"</button>
                </ActionForm>
            }
            .into_any(),
        };
        view! {
            <h2>"Department"</h2>
            {membership}
            <h2>"Password"</h2>
            <p><A href="/forgot-password">"Change your password by e-mail"</A></p>
        }
        .into_any()
    };
    view! {
        <Title text="Your account · Corridor" />
        <section class="narrow">
            <h1>"Your account"</h1>
            <Loaded resource=data suspense=true children=body />
        </section>
    }
}
