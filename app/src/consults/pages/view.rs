//! `/consults/:id`: the request, the answer, the messages, the history, and a form for each step
//! the viewer may take now.

use super::{consult_id, field_label, state_label};
use crate::consults::api::*;
use crate::consults::{Action, ConsultDetail, ConsultText, Outcome, Referral};
use crate::error::FieldErrors;
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors};
use crate::ui::loader::Loaded;
use crate::ui::refused::Refusal;
use crate::util::format_datetime;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ConsultPage() -> impl IntoView {
    let consult = Resource::new_blocking(consult_id(), get_consult);
    view! {
        <Title text="Consult · Corridor" />
        <Loaded resource=consult let:c>
            <Consult c />
        </Loaded>
    }
}

#[component]
fn Consult(c: ConsultDetail) -> impl IntoView {
    let t = c.text.clone();
    let sections = [
        ("Question", t.question.clone()),
        ("Situation", t.situation.clone()),
        ("Background", t.background.clone()),
        ("Assessment", t.assessment.clone()),
        ("What is asked", t.ask.clone()),
        ("Findings", t.findings.clone()),
        ("Investigations", t.investigations.clone()),
        ("Medicines", t.medicines.clone()),
        ("What was tried", t.tried.clone()),
    ];
    let to = c
        .responder_name
        .clone()
        .or(c.pool_name.clone())
        .unwrap_or_default();
    view! {
        <h1>{format!("Consult #{} · {}", c.id, t.specialty)}</h1>
        <p class="meta">
            {format!("{} · from {} to {to}", state_label(c.state), c.requester_name)}
            {c.due_at.map(|d| format!(" · due {}", format_datetime(d)))}
            {c.paused.then_some(" · clock paused")}
            {c.overdue.then_some(" · overdue")}
            {c.escalated.then_some(" · escalated")}
        </p>
        {c.purged.then(|| view! { <p class="notice">"The clinical text was removed after the retention period; the record remains."</p> })}
        {c.may_edit().then(|| view! {
            <p><a href=format!("/consults/{}/edit", c.id) class="button secondary">"Edit the draft"</a></p>
        })}
        <dl>
            {patient(&t).map(|p| view! { <dt>"Patient"</dt><dd>{p}</dd> })}
            {sections.into_iter().filter(|(_, text)| !text.is_empty()).map(|(label, text)| view! {
                <dt>{label}</dt><dd>{text}</dd>
            }).collect_view()}
        </dl>
        {c.answer.clone().map(|a| view! {
            <section aria-labelledby="answer-heading">
                <h2 id="answer-heading">"Answer"</h2>
                <dl>
                    <dt>"Impression"</dt><dd>{a.impression}</dd>
                    <dt>"Recommendations"</dt><dd>{a.recommendations}</dd>
                    <dt>"Red flags"</dt><dd>{a.red_flags}</dd>
                    <dt>"Referral advised"</dt><dd>{a.referral.as_str()}</dd>
                </dl>
            </section>
        })}
        <Images c=c.clone() />
        <ul class="messages">
            {c.messages.iter().map(|m| view! {
                <li><strong>{m.author_name.clone()}</strong>": "{m.body.clone()}</li>
            }).collect_view()}
        </ul>
        <Steps c=c.clone() />
        <Teaching c=c.clone() />
        <section aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            <ol>
                {c.events.iter().map(|e| view! {
                    <li>
                        {format_datetime(e.at)} " · " {e.actor_name.clone().unwrap_or_else(|| "Corridor".into())}
                        " · " {state_label(e.to_state)}
                        {e.detail.clone().map(|d| format!(" ({d})"))}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The way from a closed consult to a teaching case: where the proposal stands, the forms the
/// viewer may use now (plain forms), and the draft once agreed.
#[component]
fn Teaching(c: ConsultDetail) -> impl IntoView {
    let (id, id_agree, id_decline) = (c.id.to_string(), c.id.to_string(), c.id.to_string());
    let propose = ServerAction::<ProposeTeachingCase>::new();
    let agree = ServerAction::<AgreeTeachingCase>::new();
    let decline = ServerAction::<DeclineTeachingCase>::new();
    let can_propose = c.can_propose_teaching();
    let can_answer = c.can_answer_teaching();
    let status = c.teaching.clone().map(|t| {
        let when = format_datetime(t.proposed_at);
        match (t.case_id, t.agreed_at, t.declined_at) {
            (Some(case_id), _, _) => view! {
                <p>
                    "Agreed: this consult is now a teaching case. "
                    <a href=format!("/cases/{case_id}")>"Open the draft"</a>
                    " (publishing it needs the patient's consent to teaching use, recorded on the case)."
                </p>
            }
            .into_any(),
            (None, Some(_), _) => view! { <p>"Agreed; the draft has since been deleted."</p> }.into_any(),
            (None, None, Some(_)) => view! {
                <p>{format!("{} proposed a teaching case on {when}; it was declined.", t.proposed_by_name)}</p>
            }
            .into_any(),
            (None, None, None) => view! {
                <p>{format!("{} proposed making this consult a teaching case on {when}; waiting for an answer.", t.proposed_by_name)}</p>
            }
            .into_any(),
        }
    });
    (status.is_some() || can_propose || can_answer).then(|| view! {
        <section aria-labelledby="teaching-heading">
            <h2 id="teaching-heading">"Teaching case"</h2>
            {status}
            {can_propose.then(|| view! {
                <ActionForm action=propose>
                    <FormError error=action_error(propose) />
                    <input type="hidden" name="id" value=id />
                    <p>"Write this consult up as a teaching case with your colleague? They are asked to agree; the case starts as a draft of you both."</p>
                    <button type="submit" class="button secondary">"Propose a teaching case"</button>
                </ActionForm>
            })}
            {can_answer.then(|| view! {
                <ActionForm action=agree attr:class="inline">
                    <FormError error=action_error(agree) />
                    <input type="hidden" name="id" value=id_agree />
                    <button type="submit" class="button">"Agree and make the draft"</button>
                </ActionForm>
                <ActionForm action=decline attr:class="inline">
                    <FormError error=action_error(decline) />
                    <input type="hidden" name="id" value=id_decline />
                    <button type="submit" class="button secondary">"Decline"</button>
                </ActionForm>
            })}
        </section>
    })
}

/// The patient's age band and sex, as the request gives them.
fn patient(t: &ConsultText) -> Option<String> {
    let parts: Vec<String> = [
        t.age_band
            .map(|b| b.as_str().replace("_to_", "–").replace('_', " ")),
        t.sex.map(|s| s.as_str().replace('_', " ")),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// What stopped a draft from being sent, each problem named by its field; the request's own
/// fields are on the draft's form, so those come with a link to it.
#[component]
fn SubmitProblems(id: i64, errors: Signal<Option<FieldErrors>>) -> impl IntoView {
    move || {
        errors.get().map(|e| {
            let in_draft = e.errors.iter().any(|(f, _)| !f.starts_with("consent"));
            view! {
                <ul class="field-problems">
                    {e.errors.into_iter().map(|(field, message)| view! {
                        <li><strong>{field_label(&field).to_owned()}</strong>": "{message}</li>
                    }).collect_view()}
                </ul>
                {in_draft.then(|| view! {
                    <p><a href=format!("/consults/{id}/edit")>"Complete the draft"</a></p>
                })}
            }
        })
    }
}

/// One plain form per step the viewer may take now.
#[component]
fn Steps(c: ConsultDetail) -> impl IntoView {
    let id = c.id;
    let submit = ServerAction::<SubmitConsult>::new();
    let accept = ServerAction::<AcceptConsult>::new();
    let decline = ServerAction::<DeclineConsult>::new();
    let request = ServerAction::<RequestConsultInfo>::new();
    let provide = ServerAction::<ProvideConsultInfo>::new();
    let answer = ServerAction::<AnswerConsult>::new();
    let follow = ServerAction::<AskConsultFollowUp>::new();
    let reply = ServerAction::<AnswerConsultFollowUp>::new();
    let close = ServerAction::<CloseConsult>::new();
    let cancel = ServerAction::<CancelConsult>::new();
    let message = |label: &'static str, id: String| {
        view! {
            <input type="hidden" name="id" value=id />
            <label>{label}<textarea name="body" rows="3" required></textarea></label>
        }
    };
    view! {
        {c.can(Action::Submit).then(|| view! {
            <ActionForm action=submit attr:class="stack">
                <FormError error=action_error(submit) />
                <SubmitProblems id errors=field_errors(submit) />
                <input type="hidden" name="id" value=id.to_string() />
                <label><input type="checkbox" name="consent" value="yes" />" The patient agreed to a colleague's opinion"</label>
                <label>"How"<select name="consent_method">
                    <option value="verbal">"Verbal"</option>
                    <option value="written">"Written"</option>
                    <option value="electronic">"Electronic"</option>
                </select></label>
                <label>"When"<input type="date" name="consent_date" /></label>
                <button type="submit" class="button">"Send the consult"</button>
            </ActionForm>
        })}
        {c.can(Action::Accept).then(|| view! {
            <ActionForm action=accept>
                <FormError error=action_error(accept) />
                <input type="hidden" name="id" value=id.to_string() />
                <button type="submit" class="button">"Accept"</button>
            </ActionForm>
        })}
        {c.can(Action::Decline).then(|| view! {
            <ActionForm action=decline attr:class="stack">
                <FormError error=action_error(decline) />
                <input type="hidden" name="id" value=id.to_string() />
                <label>"Why you decline"<input type="text" name="reason" required /></label>
                <button type="submit" class="button secondary">"Decline"</button>
            </ActionForm>
        })}
        {c.can(Action::RequestInfo).then(|| view! {
            <ActionForm action=request attr:class="stack">
                <FormError error=action_error(request) />
                {message("Ask for more information", id.to_string())}
                <button type="submit" class="button secondary">"Ask"</button>
            </ActionForm>
        })}
        {c.can(Action::ProvideInfo).then(|| view! {
            <ActionForm action=provide attr:class="stack">
                <FormError error=action_error(provide) />
                {message("The information asked for", id.to_string())}
                <button type="submit" class="button">"Send"</button>
            </ActionForm>
        })}
        {c.can(Action::Answer).then(|| view! {
            <ActionForm action=answer attr:class="stack">
                <FormError error=action_error(answer) />
                <input type="hidden" name="id" value=id.to_string() />
                <label>"Impression"<textarea name="impression" rows="3" required></textarea></label>
                <label>"Recommendations"<textarea name="recommendations" rows="3" required></textarea></label>
                <label>"Red flags / when to refer urgently"<textarea name="red_flags" rows="2"></textarea></label>
                <label>"Referral advised"<select name="referral">
                    {Referral::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{r.as_str()}</option> }).collect_view()}
                </select></label>
                <label>"Suggested investigations"<textarea name="investigations" rows="2"></textarea></label>
                <label>"References"<textarea name="citations" rows="2"></textarea></label>
                <label>"Anything else"<textarea name="free_text" rows="3"></textarea></label>
                <button type="submit" class="button">"Send the answer"</button>
            </ActionForm>
        })}
        {c.can(Action::AskFollowUp).then(|| view! {
            <ActionForm action=follow attr:class="stack">
                <FormError error=action_error(follow) />
                {message("A follow-up question", id.to_string())}
                <button type="submit" class="button secondary">"Ask"</button>
            </ActionForm>
        })}
        {c.can(Action::AnswerFollowUp).then(|| view! {
            <ActionForm action=reply attr:class="stack">
                <FormError error=action_error(reply) />
                {message("Your answer to the follow-up", id.to_string())}
                <button type="submit" class="button">"Send"</button>
            </ActionForm>
        })}
        {c.can(Action::Close).then(|| view! {
            <ActionForm action=close attr:class="stack">
                <FormError error=action_error(close) />
                <input type="hidden" name="id" value=id.to_string() />
                <label>"Useful (1–5)"<input type="number" name="useful" min="1" max="5" required /></label>
                <label>"Educational (1–5)"<input type="number" name="educational" min="1" max="5" required /></label>
                <label>"Outcome"<select name="outcome">
                    {Outcome::ALL.into_iter().map(|o| view! { <option value=o.as_str()>{o.label()}</option> }).collect_view()}
                </select></label>
                <label>"Note"<textarea name="note" rows="2"></textarea></label>
                <button type="submit" class="button">"Close the consult"</button>
            </ActionForm>
        })}
        {c.can(Action::Cancel).then(|| view! {
            <ActionForm action=cancel>
                <FormError error=action_error(cancel) />
                <input type="hidden" name="id" value=id.to_string() />
                <button type="submit" class="button secondary">"Cancel the consult"</button>
            </ActionForm>
        })}
    }
}

/// The consult's images (thumbnails linking to the display size), and for its requester, while
/// they may add one, a plain upload form: it posts to `/consults/{id}/images` and comes back
/// here, with the problem beside its field when refused.
#[component]
fn Images(c: ConsultDetail) -> impl IntoView {
    let id = c.id;
    let action = format!("/consults/{id}/images");
    let upload = Refusal::of(&action);
    let image_error = upload.field("image");
    let alt_error = upload.field("alt_text");
    let caption_error = upload.field("caption");
    let form_error = upload.field("form");
    let may_add = c.may_add_images();
    let images = c.images.clone();
    (may_add || !images.is_empty()).then(|| view! {
        <section id="images" aria-labelledby="images-heading">
            <h2 id="images-heading">"Images"</h2>
            {images.into_iter().map(|image| view! {
                <figure class="case-figure">
                    <a href=image.display_url()>
                        <img src=image.thumb_url() alt=image.alt_text.clone() loading="lazy" />
                    </a>
                    {(!image.caption.is_empty()).then(|| view! { <figcaption>{image.caption.clone()}</figcaption> })}
                </figure>
            }).collect_view()}
            {may_add.then(|| view! {
                <form method="post" action=action.clone() enctype="multipart/form-data" class="stack narrow" novalidate>
                    {form_error.clone().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                    <p class="hint">"Crop out faces, names and record numbers first: Corridor strips hidden metadata (camera, GPS, dates) but cannot see what is in the picture."</p>
                    <div class="field">
                        <label for="consult-image">"Image file"</label>
                        <input id="consult-image" type="file" name="image" accept="image/jpeg,image/png,image/webp" required
                            aria-describedby="consult-image-error" aria-invalid=image_error.is_some().to_string() />
                        <p class="field-error" id="consult-image-error" aria-live="polite">{image_error.clone()}</p>
                    </div>
                    <div class="field">
                        <label for="consult-alt_text">"Description"</label>
                        <input id="consult-alt_text" type="text" name="alt_text" maxlength="300" required value=upload.value("alt_text")
                            aria-describedby="consult-alt_text-error" aria-invalid=alt_error.is_some().to_string() />
                        <p class="field-error" id="consult-alt_text-error" aria-live="polite">{alt_error.clone()}</p>
                    </div>
                    <div class="field">
                        <label for="consult-caption">"Caption"</label>
                        <textarea id="consult-caption" name="caption" rows="2" maxlength="500"
                            aria-describedby="consult-caption-error" aria-invalid=caption_error.is_some().to_string()>{upload.value("caption")}</textarea>
                        <p class="field-error" id="consult-caption-error" aria-live="polite">{caption_error.clone()}</p>
                    </div>
                    <button type="submit" class="button secondary">"Add the image"</button>
                </form>
            })}
        </section>
    })
}
