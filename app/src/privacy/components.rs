use crate::cases::api::OverrideFinding;
use crate::error::AppError;
use crate::privacy::PrivacyFinding;
use crate::ui::fields::{action_error, field_errors};
use leptos::prelude::*;

/// The privacy findings that block publication, each shown in its context with its kind, and
/// a form to override it with a reason. Afterwards the author publishes again.
#[component]
pub fn PrivacyPanel(
    case_id: Option<i64>,
    findings: Vec<PrivacyFinding>,
    #[prop(optional)] blocking: bool,
) -> impl IntoView {
    let override_action = ServerAction::<OverrideFinding>::new();
    let errors = field_errors(override_action);
    let override_error = action_error(override_action);
    let other_error =
        Signal::derive(move || override_error.get().filter(|e| e.field_errors().is_none()));
    let done = move || override_action.value().with(|v| matches!(v, Some(Ok(()))));
    let count = findings.len();
    let heading = if blocking {
        format!(
            "Publishing is blocked: {count} possible patient identifier{}",
            if count == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "Privacy check: {count} possible patient identifier{}",
            if count == 1 { "" } else { "s" }
        )
    };
    view! {
        <section class="privacy-panel" role="alert" aria-labelledby="privacy-h">
            <h2 id="privacy-h">{heading}</h2>
            <p>"Remove or generalise each highlighted item (use ages, relative days and roles, not names, numbers or dates). If one is not about the patient, override it with a reason; the reason is kept for audit."</p>
            <ol class="findings">
                {findings.into_iter().map(|f| {
                    let field = f.field.clone();
                    view! {
                        <li class="finding">
                            <p class="finding-kind"><strong>{f.kind.label()}</strong>" in " {field}</p>
                            <p class="finding-context">
                                "…"{f.before.clone()}<mark data-kind=f.kind.as_str()>{f.text.clone()}</mark>{f.after.clone()}"…"
                            </p>
                            {case_id.map(|case_id| view! {
                                <details class="override">
                                    <summary>"Not identifying? Override with a reason"</summary>
                                    <ActionForm action=override_action attr:class="stack">
                                        <input type="hidden" name="case_id" value=case_id />
                                        <input type="hidden" name="kind" value=f.kind.as_str() />
                                        <input type="hidden" name="text" value=f.text.clone() />
                                        <crate::ui::fields::TextField name="reason" label="Reason" errors
                                            required=true hint="For example: “the journal's DOI, not a phone number”." />
                                        <button type="submit" class="button small secondary">"Record override"</button>
                                    </ActionForm>
                                </details>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {move || done().then(|| view! { <p class="notice" role="status">"Override recorded. Publish again when every item is dealt with."</p> })}
            <crate::ui::errors::FormError error=other_error />
        </section>
    }
}

/// The findings and case id of a privacy block, if that is what an action returned.
pub fn privacy_block(error: Option<AppError>) -> Option<(i64, Vec<PrivacyFinding>)> {
    match error {
        Some(AppError::PrivacyBlocked { case_id, findings }) => Some((case_id, findings)),
        _ => None,
    }
}
