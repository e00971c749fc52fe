//! The annotation editor's drawing canvas: the image with an SVG over it that takes pointer
//! and keyboard input.

use super::editor::Editing;
use crate::media::annotations::{Annotation, Shape, Tool};
use crate::media::figure::{arrow_defs, shape_view};
use crate::media::CaseImage;
use leptos::prelude::*;

/// What a pointer held down on the image is doing.
#[derive(Clone, Copy)]
enum Drag {
    Drawing { from: (f64, f64) },
    Moving { index: usize, last: (f64, f64) },
}

#[component]
pub(super) fn Canvas(image: CaseImage, editing: Editing) -> impl IntoView {
    let CaseImage {
        id: image_id,
        width,
        height,
        alt_text,
        ..
    } = image;
    let Editing {
        annotations,
        selected,
        tool,
        label_text,
        ..
    } = editing;
    let display_url = format!("/media/images/{image_id}/display");
    let (w, h) = (width as f64, height as f64);
    let marker_id = format!("arrowhead-edit-{image_id}");
    let draft = RwSignal::new(None::<Shape>);
    let drag = StoredValue::new(None::<Drag>);
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();

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
    let on_down = move |ev: web_sys::PointerEvent| {
        let Some(p) = point(&ev) else { return };
        ev.prevent_default();
        match tool.get_untracked() {
            Tool::Select => selected.set(None),
            Tool::Label => {
                let text = label_text.get_untracked().trim().to_owned();
                editing.add(Annotation {
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
                editing.update(index, |a| {
                    a.shape = a.shape.moved(p.0 - last.0, p.1 - last.1)
                });
                drag.set_value(Some(Drag::Moving { index, last: p }));
            }
        }
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        if let Some(Drag::Drawing { from }) = drag.get_value() {
            if let Some(shape) =
                point(&ev).and_then(|p| Shape::from_drag(tool.get_untracked(), from, p))
            {
                editing.add(Annotation {
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
                editing.remove(index);
                return;
            }
            "Escape" => {
                selected.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        editing.update(index, |a| a.shape = a.shape.moved(dx, dy));
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
    let svg_class = move || format!("overlay editing tool-{:?}", tool.get()).to_lowercase();
    view! {
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
    }
}
