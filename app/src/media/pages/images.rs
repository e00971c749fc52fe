//! A case's images page: upload, consent, the list.

use crate::error::AppError;
use crate::media::api::{get_case_media, DeleteImage, RecordConsent};
use crate::media::CaseMedia;
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, TextField};
use crate::ui::loader::Loaded;
use crate::ui::refused::Refusal;
use crate::util::format_date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CaseImagesPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let consent = ServerAction::<RecordConsent>::new();
    let delete = ServerAction::<DeleteImage>::new();
    let media = Resource::new_blocking(
        move || (id(), consent.version().get(), delete.version().get()),
        |(id, _, _)| async move { get_case_media(id.ok_or(AppError::NotFound)?).await },
    );
    view! {
        <Title text="Images · Corridor" />
        <Loaded resource=media let:media>
            <ImagesBody media consent delete />
        </Loaded>
    }
}

#[component]
fn ImagesBody(
    media: CaseMedia,
    consent: ServerAction<RecordConsent>,
    delete: ServerAction<DeleteImage>,
) -> impl IntoView {
    let CaseMedia {
        case_id,
        title,
        published,
        images,
        consent: record,
        max_upload_mb,
    } = media;
    let has_consent = record.is_some();
    // A no-JavaScript upload that was refused comes back with the problem in the query.
    let upload = Refusal::of(&format!("/cases/{case_id}/images"));
    let image_error = upload.field("image");
    let alt_error = upload.field("alt_text");
    let caption_error = upload.field("caption");
    let form_error = upload.field("form");
    let has_images = !images.is_empty();
    let consent_errors = field_errors(consent);
    view! {
        <p class="meta"><A href=format!("/cases/{case_id}")>"← " {title.clone()}</A></p>
        <h1>"Images"</h1>
        <p class="lead">"Add X-rays, scans, ECGs or clinical photographs, then annotate them. Crop out faces, names and record numbers before uploading: Corridor strips hidden metadata (camera, GPS, dates) but cannot see what is in the picture."</p>

        <section aria-labelledby="upload-h">
            <h2 id="upload-h">"Upload an image"</h2>
            <form method="post" action=format!("/cases/{case_id}/images") enctype="multipart/form-data" class="stack narrow" novalidate>
                {form_error.map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <div class="field">
                    <label for="field-image">"Image file"</label>
                    <input id="field-image" type="file" name="image" accept="image/jpeg,image/png,image/webp" required
                        aria-describedby="field-image-hint field-image-error" aria-invalid=image_error.is_some().to_string() />
                    <p class="hint" id="field-image-hint">{format!("JPEG, PNG or WebP, up to {max_upload_mb} MB.")}</p>
                    <p class="field-error" id="field-image-error" aria-live="polite">{image_error.clone()}</p>
                </div>
                <div class="field">
                    <label for="field-alt_text">"Description " <span aria-hidden="true">"*"</span></label>
                    <input id="field-alt_text" type="text" name="alt_text" maxlength="300" required value=upload.value("alt_text")
                        aria-describedby="field-alt_text-hint field-alt_text-error" aria-invalid=alt_error.is_some().to_string() />
                    <p class="hint" id="field-alt_text-hint">"For readers who cannot see it, e.g. “Chest X-ray, PA view: left apical pneumothorax”."</p>
                    <p class="field-error" id="field-alt_text-error" aria-live="polite">{alt_error.clone()}</p>
                </div>
                <div class="field">
                    <label for="field-caption">"Caption"</label>
                    <textarea id="field-caption" name="caption" rows="2" maxlength="500"
                        aria-describedby="field-caption-error" aria-invalid=caption_error.is_some().to_string()>{upload.value("caption")}</textarea>
                    <p class="field-error" id="field-caption-error" aria-live="polite">{caption_error.clone()}</p>
                </div>
                <button type="submit" class="button">"Upload"</button>
            </form>
        </section>

        <section aria-labelledby="images-h">
            <h2 id="images-h">"Images on this case"</h2>
            {if has_images {
                view! {
                    <ul class="image-list">
                        {images.into_iter().map(|image| {
                            let id = image.id;
                            let count = image.annotations.len();
                            let label = format!("Delete image: {}", image.alt_text);
                            view! {
                                <li class="card image-item">
                                    <img src=image.thumb_url() alt=image.alt_text.clone() loading="lazy" width="120" />
                                    <div>
                                        <p>{image.alt_text.clone()}</p>
                                        <p class="meta">{crate::util::count_label(count as i64, "annotation", "annotations")}</p>
                                        // A <form> may not sit inside a <p>: the browser would close the <p> and hydration
                                        // would find a different tree.
                                        <div class="actions">
                                            <A href=format!("/cases/{case_id}/images/{id}") attr:class="button small">"Annotate"</A>
                                            <ActionForm action=delete attr:class="inline">
                                                <input type="hidden" name="image_id" value=id />
                                                <button type="submit" class="button small secondary" aria-label=label>"Delete"</button>
                                            </ActionForm>
                                        </div>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            } else {
                view! { <p class="empty">"No images yet."</p> }.into_any()
            }}
            <FormError error=action_error(delete) />
        </section>

        <section aria-labelledby="consent-h">
            <h2 id="consent-h">"Patient consent"</h2>
            {match record.clone() {
                Some(c) => view! {
                    <p class="consent-on-file" role="status">
                        <strong>"Consent on file"</strong>
                        {format!(": form {}, dated {}, recorded by {} on {}.", c.form_reference, c.consent_date.format("%-d %b %Y"), c.recorded_by, format_date(c.recorded_at))}
                    </p>
                }.into_any(),
                None => view! {
                    <p>{if has_images {
                        "A case with images cannot be published until the patient's consent is recorded."
                    } else {
                        "Needed before a case with images is published."
                    }}</p>
                }.into_any(),
            }}
            {published.then(|| view! { <p class="meta">{if has_consent {
                "This case is published: new images and annotations show to readers at once, once they pass the privacy check (in departments with peer review, after another review)."
            } else {
                "This case is published: images added now are shown to readers only after the patient's consent is recorded here."
            }}</p> })}
            <ActionForm action=consent attr:class="stack narrow" attr:novalidate=true>
                <FormError error=action_error(consent) />
                <input type="hidden" name="case_id" value=case_id />
                <div class="field">
                    <label class="choice" for="field-obtained">
                        <input type="checkbox" id="field-obtained" name="obtained" value="yes" checked=record.is_some()
                            aria-describedby="field-obtained-error" />
                        "The patient (or guardian) gave written consent to use these images for teaching"
                    </label>
                    <p class="field-error" id="field-obtained-error" aria-live="polite">
                        {move || consent_errors.with(|e| e.as_ref().and_then(|e| e.get("obtained").map(str::to_owned)))}
                    </p>
                </div>
                <TextField name="form_reference" label="Consent form reference" errors=consent_errors required=true
                    value=record.as_ref().map(|c| c.form_reference.clone()) hint="As filed in the department, e.g. CF-2026-114." />
                <TextField name="consent_date" label="Date consent was obtained" kind="date" errors=consent_errors required=true
                    value=record.as_ref().map(|c| c.consent_date.format("%Y-%m-%d").to_string()) />
                <button type="submit" class="button secondary">{if record.is_some() { "Update consent record" } else { "Record consent" }}</button>
            </ActionForm>
        </section>
    }
}
