//! Case images with their annotations drawn as an SVG overlay. The overlay is rendered on the
//! server, so it shows without JavaScript and prints; a checkbox (CSS only) hides it to show the
//! bare image. Numbers on the image match the legend beside it.

use crate::media::annotations::{Annotation, Shape};
use crate::media::CaseImage;
use leptos::prelude::*;

const STROKE: &str = "#ffd400";
const HALO: &str = "#1a1a1a";

/// Sizes in image pixels for a picture `w` wide: lines, text and number badges scale with it.
fn scale(w: f64) -> (f64, f64, f64) {
    let stroke = (w / 220.0).max(2.0);
    let font = (w / 26.0).max(12.0);
    let badge = (w / 40.0).max(9.0);
    (stroke, font, badge)
}

/// Where a number badge of radius `badge` sits along a side `size` long, near `at` but whole
/// on the image; in the middle when the image is too small for it (a 10-pixel upload), where
/// `f64::clamp` with crossed bounds would panic.
pub(crate) fn badge_at(at: f64, size: f64, badge: f64) -> f64 {
    if size - badge >= badge {
        at.clamp(badge, size - badge)
    } else {
        size / 2.0
    }
}

/// The arrowhead used by arrows in the SVG whose marker id is `marker_id`.
pub fn arrow_defs(marker_id: String) -> impl IntoView {
    view! {
        <defs>
            <marker id=marker_id viewBox="0 0 10 10" refX="6" refY="5" markerWidth="4" markerHeight="4"
                orient="auto-start-reverse" markerUnits="strokeWidth">
                <path d="M0,0 L10,5 L0,10 z" fill=STROKE stroke=HALO stroke-width="1" />
            </marker>
        </defs>
    }
}

/// One annotation's shape and its number badge, in the coordinates of a `w`×`h` image.
pub fn shape_view(
    a: &Annotation,
    number: usize,
    w: f64,
    h: f64,
    marker_id: &str,
    selected: bool,
) -> AnyView {
    let (stroke, font, badge) = scale(w);
    let halo = stroke * 2.2;
    let class = if selected { "ann selected" } else { "ann" };
    let (ax, ay) = a.shape.anchor();
    let (bx, by) = (badge_at(ax * w, w, badge), badge_at(ay * h, h, badge));
    let marker = format!("url(#{marker_id})");
    let body = match a.shape {
        Shape::Arrow { x1, y1, x2, y2 } => {
            let (x1, y1, x2, y2) = (x1 * w, y1 * h, x2 * w, y2 * h);
            view! {
                <line x1=x1 y1=y1 x2=x2 y2=y2 stroke=HALO stroke-width=halo stroke-linecap="round" />
                <line x1=x1 y1=y1 x2=x2 y2=y2 stroke=STROKE stroke-width=stroke stroke-linecap="round" marker-end=marker />
            }
            .into_any()
        }
        Shape::Ellipse { cx, cy, rx, ry } => {
            let (cx, cy, rx, ry) = (cx * w, cy * h, rx * w, ry * h);
            view! {
                <ellipse cx=cx cy=cy rx=rx ry=ry fill="none" stroke=HALO stroke-width=halo />
                <ellipse cx=cx cy=cy rx=rx ry=ry fill="transparent" stroke=STROKE stroke-width=stroke />
            }
            .into_any()
        }
        Shape::Rect { x, y, w: rw, h: rh } => {
            let (x, y, rw, rh) = (x * w, y * h, rw * w, rh * h);
            view! {
                <rect x=x y=y width=rw height=rh fill="none" stroke=HALO stroke-width=halo />
                <rect x=x y=y width=rw height=rh fill="transparent" stroke=STROKE stroke-width=stroke />
            }
            .into_any()
        }
        Shape::Label { x, y } => {
            let (x, y) = (x * w + badge * 1.3, y * h);
            view! {
                <text x=x y=y dominant-baseline="middle" font-size=font font-weight="700"
                    fill=STROKE stroke=HALO stroke-width=stroke * 1.5 paint-order="stroke"
                    font-family="system-ui, sans-serif">{a.text.clone()}</text>
            }
            .into_any()
        }
    };
    view! {
        <g class=class data-kind=a.shape.kind_name()>
            {body}
            <circle cx=bx cy=by r=badge fill=HALO stroke=STROKE stroke-width=stroke * 0.6 />
            <text x=bx y=by text-anchor="middle" dominant-baseline="central" font-size=badge * 1.2
                font-weight="700" fill="#fff" font-family="system-ui, sans-serif">{number}</text>
        </g>
    }
    .into_any()
}

/// The numbered notes beside an image (annotations without a note still get their number).
#[component]
pub fn Legend(annotations: Vec<Annotation>) -> impl IntoView {
    (!annotations.is_empty()).then(|| {
        view! {
            <ol class="legend">
                {annotations.into_iter().map(|a| {
                    let what = match a.shape {
                        Shape::Label { .. } => format!("Label “{}”", a.text),
                        other => capitalise(other.kind_name()),
                    };
                    view! {
                        <li>
                            <span class="legend-kind">{what}</span>
                            {(!a.note.is_empty()).then(|| view! { ": " {a.note.clone()} })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
    })
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A case image as readers see it: the picture, the overlay (with a show/hide switch), the
/// legend and the caption.
#[component]
pub fn AnnotatedFigure(image: CaseImage) -> impl IntoView {
    let (w, h) = (image.width as f64, image.height as f64);
    let marker_id = format!("arrowhead-{}", image.id);
    let toggle_id = format!("annotations-{}", image.id);
    let has_annotations = !image.annotations.is_empty();
    let shapes = image
        .annotations
        .iter()
        .enumerate()
        .map(|(i, a)| shape_view(a, i + 1, w, h, &marker_id, false))
        .collect_view();
    let count = image.annotations.len();
    view! {
        <figure class="case-figure" id=format!("image-{}", image.id)>
            {has_annotations.then(|| view! {
                <input type="checkbox" class="annotation-toggle" id=toggle_id.clone() checked=true />
                <label class="annotation-toggle-label" for=toggle_id>
                    {format!("Show annotations ({count})")}
                </label>
            })}
            <div class="annotated">
                <img src=image.display_url() alt=image.alt_text.clone() width=image.width height=image.height
                    loading="lazy" decoding="async" />
                {has_annotations.then(|| view! {
                    <svg class="overlay" viewBox=format!("0 0 {w} {h}") preserveAspectRatio="none"
                        aria-hidden="true" focusable="false">
                        {arrow_defs(marker_id.clone())}
                        {shapes}
                    </svg>
                })}
            </div>
            <Legend annotations=image.annotations.clone() />
            {(!image.caption.is_empty()).then(|| view! { <figcaption>{image.caption.clone()}</figcaption> })}
        </figure>
    }
}
