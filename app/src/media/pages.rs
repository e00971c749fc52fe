//! A case's images page (upload, consent, list) and the annotation editor for one image.

use crate::error::AppError;
use crate::media::annotations::{Annotation, Shape, Tool, LABEL_MAX, NOTE_MAX};
use crate::media::api::{
    get_case_image, get_case_media, DeleteImage, RecordConsent, SaveAnnotations,
};
use crate::media::figure::{arrow_defs, shape_view, Legend};
use crate::media::{CaseImage, CaseMedia};
use crate::quiz::api::AddHotspotQuestion;
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

#[component]
pub fn ImageEditorPage() -> impl IntoView {
    let params = use_params_map();
    let image_id = move || params.with(|p| p.get("image_id").and_then(|id| id.parse::<i64>().ok()));
    let data = Resource::new_blocking(image_id, |id| async move {
        let (image, title, is_author) = get_case_image(id.ok_or(AppError::NotFound)?).await?;
        if !is_author {
            return Err(AppError::Forbidden);
        }
        Ok((image, title))
    });
    let body = |(image, title): (CaseImage, String)| view! { <AnnotationEditor image title /> };
    view! {
        <Title text="Annotate image · Corridor" />
        <Loaded resource=data suspense=true children=body />
    }
}

/// What a pointer held down on the image is doing.
#[derive(Clone, Copy)]
enum Drag {
    Drawing { from: (f64, f64) },
    Moving { index: usize, last: (f64, f64) },
}

/// Draw arrows, ellipses, rectangles and labels on the image; select to move, nudge with the
/// arrow keys, delete; note each in the legend; save. Shapes are kept in image fractions.
#[component]
fn AnnotationEditor(
    image: CaseImage,
    title: String,
    /// Draw the correct regions of a new hotspot question instead of annotations.
    #[prop(optional)]
    hotspot: bool,
) -> impl IntoView {
    let CaseImage {
        id: image_id,
        case_id,
        width,
        height,
        annotations: saved,
        alt_text,
        ..
    } = image;
    let display_url = format!("/media/images/{image_id}/display");
    let (w, h) = (width as f64, height as f64);
    let marker_id = format!("arrowhead-edit-{image_id}");
    let annotations = RwSignal::new(if hotspot { Vec::new() } else { saved });
    let selected = RwSignal::new(None::<usize>);
    let tool = RwSignal::new(if hotspot { Tool::Rect } else { Tool::Arrow });
    let add_hotspot = ServerAction::<AddHotspotQuestion>::new();
    let hotspot_error = action_error(add_hotspot);
    let hotspot_errors = crate::ui::fields::field_errors(add_hotspot);
    let question_text = RwSignal::new(String::new());
    let explanation = RwSignal::new(String::new());
    let label_text = RwSignal::new(String::from("Label"));
    let draft = RwSignal::new(None::<Shape>);
    let dirty = RwSignal::new(false);
    let drag = StoredValue::new(None::<Drag>);
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let save = ServerAction::<SaveAnnotations>::new();
    let save_error = action_error(save);
    let saved_ok = move || save.value().with(|v| matches!(v, Some(Ok(())))) && !dirty.get();

    // The pointer's position as fractions of the image.
    let point = move |ev: &web_sys::PointerEvent| -> Option<(f64, f64)> {
        let svg = svg_ref.get_untracked()?;
        let rect = svg.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return None;
        }
        Some((
            ((ev.client_x() as f64 - rect.left()) / rect.width()).clamp(0.0, 1.0),
            ((ev.client_y() as f64 - rect.top()) / rect.height()).clamp(0.0, 1.0),
        ))
    };
    let capture = move |ev: &web_sys::PointerEvent| {
        if let Some(svg) = svg_ref.get_untracked() {
            let _ = svg.set_pointer_capture(ev.pointer_id());
        }
    };
    let add = move |a: Annotation| {
        annotations.update(|list| list.push(a));
        selected.set(Some(annotations.with_untracked(|l| l.len() - 1)));
        dirty.set(true);
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        let Some(p) = point(&ev) else { return };
        ev.prevent_default();
        match tool.get_untracked() {
            Tool::Select => selected.set(None),
            Tool::Label => {
                let text = label_text.get_untracked().trim().to_owned();
                add(Annotation {
                    shape: Shape::Label { x: p.0, y: p.1 },
                    text: if text.is_empty() {
                        "Label".into()
                    } else {
                        text
                    },
                    note: String::new(),
                });
            }
            _ => {
                capture(&ev);
                drag.set_value(Some(Drag::Drawing { from: p }));
            }
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let Some(current) = drag.get_value() else {
            return;
        };
        let Some(p) = point(&ev) else { return };
        match current {
            Drag::Drawing { from } => draft.set(Shape::from_drag(tool.get_untracked(), from, p)),
            Drag::Moving { index, last } => {
                annotations.update(|list| {
                    if let Some(a) = list.get_mut(index) {
                        a.shape = a.shape.moved(p.0 - last.0, p.1 - last.1);
                    }
                });
                drag.set_value(Some(Drag::Moving { index, last: p }));
                dirty.set(true);
            }
        }
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        if let Some(Drag::Drawing { from }) = drag.get_value() {
            if let Some(shape) =
                point(&ev).and_then(|p| Shape::from_drag(tool.get_untracked(), from, p))
            {
                add(Annotation {
                    shape,
                    text: String::new(),
                    note: String::new(),
                });
            }
        }
        draft.set(None);
        drag.set_value(None);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let Some(index) = selected.get_untracked() else {
            return;
        };
        let step = if ev.shift_key() { 0.05 } else { 0.01 };
        let (dx, dy) = match ev.key().as_str() {
            "ArrowLeft" => (-step, 0.0),
            "ArrowRight" => (step, 0.0),
            "ArrowUp" => (0.0, -step),
            "ArrowDown" => (0.0, step),
            "Delete" | "Backspace" => {
                ev.prevent_default();
                annotations.update(|list| {
                    if index < list.len() {
                        list.remove(index);
                    }
                });
                selected.set(None);
                dirty.set(true);
                return;
            }
            "Escape" => {
                selected.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        annotations.update(|list| {
            if let Some(a) = list.get_mut(index) {
                a.shape = a.shape.moved(dx, dy);
            }
        });
        dirty.set(true);
    };
    let marker_for_shapes = marker_id.clone();
    let shapes = move || {
        let selected_index = selected.get();
        let select_mode = tool.get() == Tool::Select;
        annotations.with(|list| {
            list.iter()
                .enumerate()
                .map(|(i, a)| {
                    let view = shape_view(
                        a,
                        i + 1,
                        w,
                        h,
                        &marker_for_shapes,
                        selected_index == Some(i),
                    );
                    let pick = move |ev: web_sys::PointerEvent| {
                        if !select_mode {
                            return;
                        }
                        ev.stop_propagation();
                        ev.prevent_default();
                        selected.set(Some(i));
                        if let Some(p) = point(&ev) {
                            capture(&ev);
                            drag.set_value(Some(Drag::Moving { index: i, last: p }));
                        }
                    };
                    view! { <g on:pointerdown=pick>{view}</g> }
                })
                .collect_view()
        })
    };
    let marker_for_draft = marker_id.clone();
    let draft_view = move || {
        draft.get().map(|shape| {
            shape_view(
                &Annotation {
                    shape,
                    text: String::new(),
                    note: String::new(),
                },
                annotations.with(|l| l.len()) + 1,
                w,
                h,
                &marker_for_draft,
                true,
            )
        })
    };
    let do_save = move |_| {
        let list = annotations.get_untracked();
        if hotspot {
            let regions: Vec<Shape> = list.iter().map(|a| a.shape).collect();
            if let Ok(json) = serde_json::to_string(&regions) {
                add_hotspot.dispatch(AddHotspotQuestion {
                    case_id,
                    image_id,
                    text: question_text.get_untracked(),
                    explanation: explanation.get_untracked(),
                    regions: json,
                });
            }
            return;
        }
        if let Ok(json) = serde_json::to_string(&list) {
            save.dispatch(SaveAnnotations {
                image_id,
                annotations: json,
            });
            dirty.set(false);
        }
    };
    let svg_class = move || format!("overlay editing tool-{:?}", tool.get()).to_lowercase();
    view! {
        <p class="meta"><A href=if hotspot { format!("/cases/{case_id}/quiz/edit") } else { format!("/cases/{case_id}/images") }>
            {if hotspot { "← Module of " } else { "← Images of " }} {title}</A></p>
        <h1>{if hotspot { "New hotspot question" } else { "Annotate image" }}</h1>
        {hotspot.then(|| view! {
            <p class="lead">"Draw the region (or regions) a learner must click, as rectangles or ellipses, and write the question."</p>
            <div class="stack js-only">
                <div class="field">
                    <label for="field-text">"Question"</label>
                    <textarea id="field-text" rows="2" prop:value=move || question_text.get()
                        on:input=move |ev| question_text.set(event_target_value(&ev))
                        aria-describedby="field-text-error"></textarea>
                    <p class="field-error" id="field-text-error">{move || hotspot_errors.with(|e| e.as_ref().and_then(|e| e.get("text").map(str::to_owned)))}</p>
                </div>
                <div class="field">
                    <label for="field-explanation">"Explanation (shown after answering)"</label>
                    <textarea id="field-explanation" rows="2" prop:value=move || explanation.get()
                        on:input=move |ev| explanation.set(event_target_value(&ev))></textarea>
                </div>
            </div>
        })}
        <p class="no-js-only notice">"Drawing needs JavaScript. The image and its saved annotations are shown below."</p>
        <div class="annotation-toolbar js-only" role="toolbar" aria-label="Drawing tools">
            {Tool::ALL.into_iter().filter(|t| !hotspot || matches!(t, Tool::Select | Tool::Rect | Tool::Ellipse)).map(|t| {
                let id = format!("tool-{t:?}").to_lowercase();
                let label_for = id.clone();
                view! {
                    <label class="tool" for=label_for>
                        <input type="radio" name="tool" id=id value=format!("{t:?}").to_lowercase()
                            prop:checked=move || tool.get() == t on:change=move |_| tool.set(t) />
                        {t.label()}
                    </label>
                }
            }).collect_view()}
            <span class="field inline-field" class:hidden=move || tool.get() != Tool::Label>
                <label for="label-text">"Label text"</label>
                <input id="label-text" type="text" maxlength=LABEL_MAX prop:value=move || label_text.get()
                    on:input=move |ev| label_text.set(event_target_value(&ev)) />
            </span>
        </div>
        <div class="annotated editor-canvas">
            <img src=display_url alt=alt_text width=width height=height draggable="false" />
            <svg node_ref=svg_ref class=svg_class viewBox=format!("0 0 {w} {h}") preserveAspectRatio="none"
                tabindex="0" role="application" aria-label="Image annotation canvas: draw with the chosen tool; with Select, arrow keys move the selected annotation and Delete removes it"
                on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointercancel=move |_| { draft.set(None); drag.set_value(None); }
                on:keydown=on_key>
                {arrow_defs(marker_id.clone())}
                <rect class="canvas-hit" x="0" y="0" width=w height=h fill="transparent" />
                {shapes}
                {draft_view}
            </svg>
        </div>
        <section aria-labelledby="legend-h" class="legend-editor">
            <h2 id="legend-h">"Legend"</h2>
            <div class="no-js-only"><Legend annotations=annotations.get_untracked() /></div>
            <ol class="js-only">
                {move || annotations.with(|list| list.iter().enumerate().map(|(i, a)| {
                    let is_label = matches!(a.shape, Shape::Label { .. });
                    let kind = a.shape.kind_name();
                    let text = a.text.clone();
                    let note = a.note.clone();
                    let note_id = format!("note-{i}");
                    let text_id = format!("text-{i}");
                    view! {
                        <li class:selected=move || selected.get() == Some(i)>
                            <button type="button" class="link" on:click=move |_| { selected.set(Some(i)); tool.set(Tool::Select); }>
                                {format!("{} {}", i + 1, kind)}
                            </button>
                            {(is_label && !hotspot).then(|| {
                                let text_id2 = text_id.clone();
                                view! {
                                    <label for=text_id2>"Text"</label>
                                    <input id=text_id type="text" maxlength=LABEL_MAX value=text
                                        on:change=move |ev| { let v = event_target_value(&ev); annotations.update(|l| if let Some(a) = l.get_mut(i) { a.text = v; }); dirty.set(true); } />
                                }
                            })}
                            {(!hotspot).then(|| {
                                let note_for = note_id.clone();
                                view! {
                                    <label for=note_for>"Note"</label>
                                    <input id=note_id type="text" maxlength=NOTE_MAX value=note placeholder="What should the reader see here?"
                                        on:change=move |ev| { let v = event_target_value(&ev); annotations.update(|l| if let Some(a) = l.get_mut(i) { a.note = v; }); dirty.set(true); } />
                                }
                            })}
                            <button type="button" class="button small secondary" aria-label=format!("Delete annotation {}", i + 1)
                                on:click=move |_| { annotations.update(|l| { if i < l.len() { l.remove(i); } }); selected.set(None); dirty.set(true); }>"Delete"</button>
                        </li>
                    }
                }).collect_view())}
            </ol>
        </section>
        <div class="actions js-only">
            <button type="button" class="button" on:click=do_save disabled=move || save.pending().get() || add_hotspot.pending().get()>
                {if hotspot { "Add the question" } else { "Save annotations" }}</button>
            <A href=format!("/cases/{case_id}") attr:class="button secondary">"View case"</A>
            <span role="status" class="save-status">
                {move || if save.pending().get() { "Saving…" } else if dirty.get() { "Unsaved changes" } else if saved_ok() { "Saved" } else { "" }}
            </span>
        </div>
        <FormError error=save_error />
        <FormError error=Signal::derive(move || hotspot_error.get().filter(|e| e.field_errors().is_none())) />
        {move || hotspot_errors.with(|e| e.as_ref().and_then(|e| e.get("regions").map(str::to_owned))).map(|m| view! {
            <p class="field-error" role="alert">{m}</p>
        })}
        {move || save_error.get().and_then(|e| e.field_errors().and_then(|f| f.get("annotations").map(str::to_owned))).map(|m| view! {
            <p class="field-error" role="alert">{m}</p>
        })}
        // On a published case, labels and notes that may identify the patient are refused.
        {move || crate::privacy::components::privacy_block(save_error.get()).map(|(_, findings)| view! {
            <crate::privacy::components::PrivacyPanel case_id=None findings blocking=true />
        })}
    }
}

/// Draws the correct regions of a new hotspot question on one of the case's images.
#[component]
pub fn HotspotEditorPage() -> impl IntoView {
    let params = use_params_map();
    let image_id = move || params.with(|p| p.get("image_id").and_then(|id| id.parse::<i64>().ok()));
    let data = Resource::new_blocking(image_id, |id| async move {
        let (image, title, is_author) = get_case_image(id.ok_or(AppError::NotFound)?).await?;
        if !is_author {
            return Err(AppError::Forbidden);
        }
        Ok((image, title))
    });
    let body = |(image, title): (CaseImage, String)| {
        view! { <AnnotationEditor image title hotspot=true /> }
    };
    view! {
        <Title text="Hotspot question · Corridor" />
        <Loaded resource=data suspense=true children=body />
    }
}
