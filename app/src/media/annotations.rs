//! Annotations drawn on a case image: arrows, ellipses, rectangles and text labels, each with an
//! optional note for the numbered legend. Coordinates are fractions of the image's width and
//! height (0..1), so they survive resizing and look the same at every display size.
//!
//! Pure code shared by the server (validation before storing, SVG rendering) and the browser
//! editor (drawing, moving).

use serde::{Deserialize, Serialize};

/// At most this many annotations on one image: a legend longer than that stops teaching.
pub const MAX_ANNOTATIONS: usize = 30;
/// A label drawn on the image is a word or two.
pub const LABEL_MAX: usize = 40;
/// A legend note is a sentence or two.
pub const NOTE_MAX: usize = 280;
/// The smallest extent of a drawn shape (1 % of the image): anything smaller is a stray click.
pub const MIN_EXTENT: f64 = 0.01;

const EPSILON: f64 = 1e-9;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Shape {
    /// From the tail (x1, y1) to the head (x2, y2).
    Arrow { x1: f64, y1: f64, x2: f64, y2: f64 },
    /// Centre and radii.
    Ellipse { cx: f64, cy: f64, rx: f64, ry: f64 },
    /// Top-left corner, width and height.
    Rect { x: f64, y: f64, w: f64, h: f64 },
    /// Where the label's text starts (its baseline's left end).
    Label { x: f64, y: f64 },
}

/// The drawing tools of the editor; `Select` moves and picks existing annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Select,
    Arrow,
    Ellipse,
    Rect,
    Label,
}

impl Tool {
    pub const ALL: [Tool; 5] = [
        Tool::Select,
        Tool::Arrow,
        Tool::Ellipse,
        Tool::Rect,
        Tool::Label,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tool::Select => "Select / move",
            Tool::Arrow => "Arrow",
            Tool::Ellipse => "Ellipse",
            Tool::Rect => "Rectangle",
            Tool::Label => "Text label",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    pub shape: Shape,
    /// The text drawn on the image; required for a label, unused by the other shapes.
    #[serde(default)]
    pub text: String,
    /// Shown beside the image under the annotation's number.
    #[serde(default)]
    pub note: String,
}

impl Shape {
    /// The shape a drag from `from` to `to` draws with `tool` (`None` for the select tool, or
    /// when the drag is too short to mean anything). Points are clamped to the image.
    pub fn from_drag(tool: Tool, from: (f64, f64), to: (f64, f64)) -> Option<Shape> {
        let (x0, y0) = (clamp01(from.0), clamp01(from.1));
        let (x1, y1) = (clamp01(to.0), clamp01(to.1));
        let (w, h) = ((x1 - x0).abs(), (y1 - y0).abs());
        match tool {
            Tool::Select => None,
            Tool::Label => Some(Shape::Label { x: x1, y: y1 }),
            Tool::Arrow => ((w * w + h * h).sqrt() >= MIN_EXTENT).then_some(Shape::Arrow {
                x1: x0,
                y1: y0,
                x2: x1,
                y2: y1,
            }),
            Tool::Rect => (w >= MIN_EXTENT && h >= MIN_EXTENT).then_some(Shape::Rect {
                x: x0.min(x1),
                y: y0.min(y1),
                w,
                h,
            }),
            Tool::Ellipse => (w >= MIN_EXTENT && h >= MIN_EXTENT).then_some(Shape::Ellipse {
                cx: (x0 + x1) / 2.0,
                cy: (y0 + y1) / 2.0,
                rx: w / 2.0,
                ry: h / 2.0,
            }),
        }
    }

    /// The shape's bounding box as (left, top, right, bottom).
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        match *self {
            Shape::Arrow { x1, y1, x2, y2 } => (x1.min(x2), y1.min(y2), x1.max(x2), y1.max(y2)),
            Shape::Ellipse { cx, cy, rx, ry } => (cx - rx, cy - ry, cx + rx, cy + ry),
            Shape::Rect { x, y, w, h } => (x, y, x + w, y + h),
            Shape::Label { x, y } => (x, y, x, y),
        }
    }

    /// The same shape moved by (dx, dy), stopped at the image's edges so it stays whole.
    pub fn moved(&self, dx: f64, dy: f64) -> Shape {
        let (l, t, r, b) = self.bounds();
        let dx = clamp_between(dx, -l, 1.0 - r);
        let dy = clamp_between(dy, -t, 1.0 - b);
        match *self {
            Shape::Arrow { x1, y1, x2, y2 } => Shape::Arrow {
                x1: x1 + dx,
                y1: y1 + dy,
                x2: x2 + dx,
                y2: y2 + dy,
            },
            Shape::Ellipse { cx, cy, rx, ry } => Shape::Ellipse {
                cx: cx + dx,
                cy: cy + dy,
                rx,
                ry,
            },
            Shape::Rect { x, y, w, h } => Shape::Rect {
                x: x + dx,
                y: y + dy,
                w,
                h,
            },
            Shape::Label { x, y } => Shape::Label {
                x: x + dx,
                y: y + dy,
            },
        }
    }

    /// Where the annotation's number sits: the arrow's tail, the top-left of an ellipse's or a
    /// rectangle's box, just before a label.
    pub fn anchor(&self) -> (f64, f64) {
        match *self {
            Shape::Arrow { x1, y1, .. } => (x1, y1),
            Shape::Ellipse { cx, cy, rx, ry } => (
                cx - rx * std::f64::consts::FRAC_1_SQRT_2,
                cy - ry * std::f64::consts::FRAC_1_SQRT_2,
            ),
            Shape::Rect { x, y, .. } => (x, y),
            Shape::Label { x, y } => (x, y),
        }
    }

    pub fn kind_name(&self) -> &'static str {
        match self {
            Shape::Arrow { .. } => "arrow",
            Shape::Ellipse { .. } => "ellipse",
            Shape::Rect { .. } => "rectangle",
            Shape::Label { .. } => "label",
        }
    }

    fn numbers(&self) -> [f64; 4] {
        match *self {
            Shape::Arrow { x1, y1, x2, y2 } => [x1, y1, x2, y2],
            Shape::Ellipse { cx, cy, rx, ry } => [cx, cy, rx, ry],
            Shape::Rect { x, y, w, h } => [x, y, w, h],
            Shape::Label { x, y } => [x, y, 0.0, 0.0],
        }
    }
}

/// `v` kept between `lo` and `hi`; 0 (no move) when there is no room or no number. A shape
/// may reach a hair past both edges (validation allows rounding), and then `f64::clamp`, with
/// its bounds crossed, panics.
fn clamp_between(v: f64, lo: f64, hi: f64) -> f64 {
    if lo <= hi && !v.is_nan() {
        v.clamp(lo, hi)
    } else {
        0.0
    }
}

fn clamp01(v: f64) -> f64 {
    if v.is_nan() {
        0.0
    } else {
        v.clamp(0.0, 1.0)
    }
}

/// Checks a whole set of annotations before it is stored; each problem names the annotation
/// by its number in the legend (1-based).
pub fn validate(annotations: &[Annotation]) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    if annotations.len() > MAX_ANNOTATIONS {
        errors.push(format!(
            "At most {MAX_ANNOTATIONS} annotations per image ({} given).",
            annotations.len()
        ));
    }
    for (i, a) in annotations.iter().enumerate() {
        let n = i + 1;
        let shape = &a.shape;
        if shape.numbers().iter().any(|v| !v.is_finite()) {
            errors.push(format!("Annotation {n}: its position is not a number."));
            continue;
        }
        let (l, t, r, b) = shape.bounds();
        if l < -EPSILON || t < -EPSILON || r > 1.0 + EPSILON || b > 1.0 + EPSILON {
            errors.push(format!(
                "Annotation {n}: the {} reaches outside the image.",
                shape.kind_name()
            ));
        }
        let too_small = match *shape {
            Shape::Arrow { x1, y1, x2, y2 } => {
                ((x2 - x1).powi(2) + (y2 - y1).powi(2)).sqrt() < MIN_EXTENT - EPSILON
            }
            Shape::Ellipse { rx, ry, .. } => {
                rx * 2.0 < MIN_EXTENT - EPSILON || ry * 2.0 < MIN_EXTENT - EPSILON
            }
            Shape::Rect { w, h, .. } => w < MIN_EXTENT - EPSILON || h < MIN_EXTENT - EPSILON,
            Shape::Label { .. } => false,
        };
        if too_small {
            errors.push(format!(
                "Annotation {n}: the {} is too small to see.",
                shape.kind_name()
            ));
        }
        let text = a.text.trim();
        match shape {
            Shape::Label { .. } if text.is_empty() => {
                errors.push(format!("Annotation {n}: a label needs its text."))
            }
            _ => {}
        }
        if text.chars().count() > LABEL_MAX {
            errors.push(format!(
                "Annotation {n}: a label is at most {LABEL_MAX} characters."
            ));
        }
        if a.note.chars().count() > NOTE_MAX {
            errors.push(format!(
                "Annotation {n}: a note is at most {NOTE_MAX} characters."
            ));
        }
        if a.text
            .chars()
            .chain(a.note.chars())
            .any(|c| c.is_control() && c != '\n')
        {
            errors.push(format!(
                "Annotation {n}: remove the control characters from its text."
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Trims the texts of annotations about to be stored.
pub fn normalise(mut annotations: Vec<Annotation>) -> Vec<Annotation> {
    for a in &mut annotations {
        a.text = a.text.trim().to_owned();
        a.note = a.note.trim().to_owned();
        if !matches!(a.shape, Shape::Label { .. }) {
            a.text.clear();
        }
    }
    annotations
}

#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod tests;
