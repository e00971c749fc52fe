//! The annotation editor's pages and the editor itself: its state, and saving. The drawing
//! canvas is in `canvas`, the panels around it in `panels`.

use super::canvas::Canvas;
use super::panels::{EditorErrors, HotspotFields, LegendEditor, SaveBar, Toolbar};
use crate::error::AppError;
use crate::media::annotations::{Annotation, Shape, Tool};
use crate::media::api::{get_case_image, SaveAnnotations};
use crate::media::CaseImage;
use crate::quiz::api::AddHotspotQuestion;
use crate::ui::fields::{action_error, field_errors};
use crate::ui::loader::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ImageEditorPage() -> impl IntoView {
    let data = Resource::new_blocking(image_id(), editable_image);
    let body = |(image, title): (CaseImage, String)| view! { <AnnotationEditor image title hotspot=false /> };
    view! {
        <Title text="Annotate image · Corridor" />
        <Loaded resource=data suspense=true children=body />
    }
}

/// Draws the correct regions of a new hotspot question on one of the case's images.
#[component]
pub fn HotspotEditorPage() -> impl IntoView {
    let data = Resource::new_blocking(image_id(), editable_image);
    let body = |(image, title): (CaseImage, String)| {
        view! { <AnnotationEditor image title hotspot=true /> }
    };
    view! {
        <Title text="Hotspot question · Corridor" />
        <Loaded resource=data suspense=true children=body />
    }
}

fn image_id() -> impl Fn() -> Option<i64> + Copy {
    let params = use_params_map();
    move || params.with(|p| p.get("image_id").and_then(|id| id.parse::<i64>().ok()))
}

/// The image and its case's title, for the case's author only.
async fn editable_image(id: Option<i64>) -> Result<(CaseImage, String), AppError> {
    let (image, title, is_author) = get_case_image(id.ok_or(AppError::NotFound)?).await?;
    if !is_author {
        return Err(AppError::Forbidden);
    }
    Ok((image, title))
}

/// What the editor's parts share: the annotations being edited and how they are being edited.
#[derive(Clone, Copy)]
pub(super) struct Editing {
    pub annotations: RwSignal<Vec<Annotation>>,
    pub selected: RwSignal<Option<usize>>,
    pub tool: RwSignal<Tool>,
    /// The text of the next label placed.
    pub label_text: RwSignal<String>,
    /// Changed since the last save.
    pub dirty: RwSignal<bool>,
    /// Drawing the correct regions of a hotspot question instead of annotations.
    pub hotspot: bool,
}

impl Editing {
    pub fn add(self, a: Annotation) {
        self.annotations.update(|list| list.push(a));
        self.selected
            .set(Some(self.annotations.with_untracked(|l| l.len() - 1)));
        self.dirty.set(true);
    }

    pub fn update(self, index: usize, change: impl FnOnce(&mut Annotation)) {
        self.annotations.update(|list| {
            if let Some(a) = list.get_mut(index) {
                change(a);
            }
        });
        self.dirty.set(true);
    }

    pub fn remove(self, index: usize) {
        self.annotations.update(|list| {
            if index < list.len() {
                list.remove(index);
            }
        });
        self.selected.set(None);
        self.dirty.set(true);
    }
}

/// Draw arrows, ellipses, rectangles and labels on the image; select to move, nudge with the
/// arrow keys, delete; note each in the legend; save. Shapes are kept in image fractions.
/// An island: the only part of its page that runs in the browser.
#[island(lazy)]
fn AnnotationEditor(
    image: CaseImage,
    title: String,
    /// Draw the correct regions of a new hotspot question instead of annotations.
    hotspot: bool,
) -> impl IntoView {
    crate::ui::islands::report_ready();
    crate::ui::refused::provide_in_island();
    let case_id = image.case_id;
    let image_id = image.id;
    let editing = Editing {
        annotations: RwSignal::new(if hotspot {
            Vec::new()
        } else {
            image.annotations.clone()
        }),
        selected: RwSignal::new(None),
        tool: RwSignal::new(if hotspot { Tool::Rect } else { Tool::Arrow }),
        label_text: RwSignal::new(String::from("Label")),
        dirty: RwSignal::new(false),
        hotspot,
    };
    let add_hotspot = ServerAction::<AddHotspotQuestion>::new();
    let hotspot_error = action_error(add_hotspot);
    let hotspot_errors = field_errors(add_hotspot);
    let question_text = RwSignal::new(String::new());
    let explanation = RwSignal::new(String::new());
    let save = ServerAction::<SaveAnnotations>::new();
    let save_error = action_error(save);

    let do_save = move |_| {
        let list = editing.annotations.get_untracked();
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
            editing.dirty.set(false);
        }
    };
    view! {
        <p class="meta"><a href=if hotspot { format!("/cases/{case_id}/quiz/edit") } else { format!("/cases/{case_id}/images") }>
            {if hotspot { "← Module of " } else { "← Images of " }} {title}</a></p>
        <h1>{if hotspot { "New hotspot question" } else { "Annotate image" }}</h1>
        {hotspot.then(|| view! { <HotspotFields question_text explanation errors=hotspot_errors /> })}
        <p class="no-js-only notice">"Drawing needs JavaScript. The image and its saved annotations are shown below."</p>
        <Toolbar editing />
        <Canvas image editing />
        <LegendEditor editing />
        <SaveBar editing case_id save add_hotspot on_save=do_save />
        <EditorErrors save_error hotspot_error hotspot_errors />
    }
}
