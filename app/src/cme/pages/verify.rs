//! `/verify/{id}`: the public certificate verification page.

use super::amount;
use crate::cme::api::get_certificate;
use crate::cme::Certificate;
use crate::error::AppError;
use crate::ui::loader::{Derived, Loaded};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).unwrap_or_default();
    let data = Resource::new_blocking(id, get_certificate);
    // An unknown id is an answer here, not an error page.
    let certificate = Derived(move || async move {
        match data.await {
            Err(AppError::NotFound) => Ok(None),
            found => found.map(Some),
        }
    });
    let body = |certificate: Option<Certificate>| {
        let Some(c) = certificate else {
            return view! {
                <p class="verdict revoked" role="status"><strong>"No such certificate."</strong> " Check the address against the certificate."</p>
            }.into_any();
        };
        view! {
            <article class="card certificate">
                {if c.revoked {
                    view! { <p class="verdict revoked" role="status"><strong>"Revoked"</strong>
                        {c.revoked_reason.clone().map(|r| format!(": {r}"))}</p> }.into_any()
                } else {
                    view! { <p class="verdict valid" role="status"><strong>"Valid certificate"</strong></p> }.into_any()
                }}
                <dl>
                    <dt>"Awarded to"</dt><dd>{c.recipient_name.clone()}</dd>
                    {c.registration_number.clone().map(|r| view! {
                        <dt>"Registration number"</dt>
                        <dd>{r} " "
                            {if c.registration_verified {
                                view! { <span class="tag">"verified by the department"</span> }.into_any()
                            } else {
                                view! { <span class="tag draft">"self-declared, not verified"</span> }.into_any()
                            }}
                        </dd>
                    })}
                    <dt>"Activity"</dt><dd>{c.activity.clone()}</dd>
                    <dt>"Credit"</dt><dd>{format!("{} {}", amount(c.amount), c.credit_type)}</dd>
                    <dt>"Date"</dt><dd>{c.issued_on.format("%-d %B %Y").to_string()}</dd>
                    <dt>"Issued by"</dt><dd>{c.issuer.clone()}</dd>
                    <dt>"Certificate id"</dt><dd><code>{c.id.clone()}</code></dd>
                </dl>
                // For verifiers outside Corridor: the signed credential and the keys it checks
                // against (revocation is in the status list the credential names).
                <p class="credential-links">
                    <a href=format!("/certificates/{}/badge.jwt", c.id) type="application/vc+jwt" download=format!("corridor-certificate-{}.jwt", c.id)>"Signed credential (Open Badges 3.0, VC-JWT)"</a>
                    " · "
                    <a href="/issuer">"Issuer profile and public keys"</a>
                </p>
            </article>
        }.into_any()
    };
    view! {
        <Title text="Verify a certificate · Corridor" />
        <h1>"Certificate verification"</h1>
        <Loaded resource=certificate children=body />
    }
}
