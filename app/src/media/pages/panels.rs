//! The annotation editor's panels around the canvas: the hotspot question's fields, the
//! tools, the legend, saving and its errors.

use super::editor::Editing;
use crate::error::{AppError, FieldErrors};
use crate::media::annotations::{Shape, Tool, LABEL_MAX, NOTE_MAX};
use crate::media::api::SaveAnnotations;
use crate::media::figure::Legend;
use crate::quiz::api::AddHotspotQuestion;
use crate::ui::errors::FormError;
use leptos::prelude::*;

/// The question and explanation of a new hotspot question.
#[component]
pub(super) fn HotspotFields(
    question_text: RwSignal<String>,
    explanation: RwSignal<String>,
    errors: Signal<Option<FieldErrors>>,
) -> impl IntoView {
    view! {
        <p class="lead">"Draw the region (or regions) a learner must click, as rectangles or ellipses, and write the question."</p>
        <div class="stack js-only">
            <div class="field">
                <label for="field-text">"Question"</label>
                <textarea id="field-text" rows="2" prop:value=move || question_text.get()
                    on:input=move |ev| question_text.set(event_target_value(&ev))
                    aria-describedby="field-text-error"></textarea>
                <p class="field-error" id="field-text-error">{move || errors.with(|e| e.as_ref().and_then(|e| e.get("text").map(str::to_owned)))}</p>
            </div>
            <div class="field">
                <label for="field-explanation">"Explanation (shown after answering)"</label>
                <textarea id="field-explanation" rows="2" prop:value=move || explanation.get()
                    on:input=move |ev| explanation.set(event_target_value(&ev))></textarea>
            </div>
        </div>
    }
}

/// The drawing tools (only regions for a hotspot question) and the next label's text.
#[component]
pub(super) fn Toolbar(editing: Editing) -> impl IntoView {
    let Editing {
        tool,
        label_text,
        hotspot,
        ..
    } = editing;
    view! {
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
    }
}

/// The numbered legend: select, label text, a note for the reader, delete.
#[component]
pub(super) fn LegendEditor(editing: Editing) -> impl IntoView {
    let Editing {
        annotations,
        selected,
        tool,
        hotspot,
        ..
    } = editing;
    view! {
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
                                        on:change=move |ev| { let v = event_target_value(&ev); editing.update(i, |a| a.text = v); } />
                                }
                            })}
                            {(!hotspot).then(|| {
                                let note_for = note_id.clone();
                                view! {
                                    <label for=note_for>"Note"</label>
                                    <input id=note_id type="text" maxlength=NOTE_MAX value=note placeholder="What should the reader see here?"
                                        on:change=move |ev| { let v = event_target_value(&ev); editing.update(i, |a| a.note = v); } />
                                }
                            })}
                            <button type="button" class="button small secondary" aria-label=format!("Delete annotation {}", i + 1)
                                on:click=move |_| editing.remove(i)>"Delete"</button>
                        </li>
                    }
                }).collect_view())}
            </ol>
        </section>
    }
}

/// Save (or add the hotspot question), and whether there is anything unsaved.
#[component]
pub(super) fn SaveBar(
    editing: Editing,
    case_id: i64,
    save: ServerAction<SaveAnnotations>,
    add_hotspot: ServerAction<AddHotspotQuestion>,
    #[prop(into)] on_save: Callback<()>,
) -> impl IntoView {
    let Editing { dirty, hotspot, .. } = editing;
    let saved_ok = move || save.value().with(|v| matches!(v, Some(Ok(())))) && !dirty.get();
    view! {
        <div class="actions js-only">
            <button type="button" class="button" on:click=move |_| on_save.run(()) disabled=move || save.pending().get() || add_hotspot.pending().get()>
                {if hotspot { "Add the question" } else { "Save annotations" }}</button>
            <a href=format!("/cases/{case_id}") class="button secondary">"View case"</a>
            <span role="status" class="save-status">
                {move || if save.pending().get() { "Saving…" } else if dirty.get() { "Unsaved changes" } else if saved_ok() { "Saved" } else { "" }}
            </span>
        </div>
    }
}

/// Why saving (or adding the hotspot question) was refused.
#[component]
pub(super) fn EditorErrors(
    save_error: Signal<Option<AppError>>,
    hotspot_error: Signal<Option<AppError>>,
    hotspot_errors: Signal<Option<FieldErrors>>,
) -> impl IntoView {
    view! {
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
