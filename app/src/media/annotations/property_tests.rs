//! Annotations as they arrive from a browser (JSON, any numbers) and as the editor moves them:
//! reading and checking never panic, deep JSON is refused quickly, and every shape that passes
//! validation stays on the image however it is dragged.

use super::*;
use crate::media::figure::badge_at;
use proptest::prelude::*;

/// Any number a client can send, the awkward ones often.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.0..=1.0f64,
        -1.0e-9..=1.0e-9f64,
        (1.0 - 1.0e-9)..=(1.0 + 1.0e-9f64),
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-0.0),
    ]
}

fn shape() -> impl Strategy<Value = Shape> {
    (0..4u8, number(), number(), number(), number()).prop_map(|(k, a, b, c, d)| match k {
        0 => Shape::Arrow {
            x1: a,
            y1: b,
            x2: c,
            y2: d,
        },
        1 => Shape::Ellipse {
            cx: a,
            cy: b,
            rx: c,
            ry: d,
        },
        2 => Shape::Rect {
            x: a,
            y: b,
            w: c,
            h: d,
        },
        _ => Shape::Label { x: a, y: b },
    })
}

const JSON_PIECES: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"shape\"",
    "\"type\"",
    "\"rect\"",
    "\"arrow\"",
    "\"label\"",
    "\"x\"",
    "\"y\"",
    "\"w\"",
    "\"h\"",
    "\"text\"",
    "\"note\"",
    "0.5",
    "1e308",
    "-1e308",
    "1e999",
    "null",
    "true",
    "\"\\u0000\"",
    "\"é\"",
    " ",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_json_is_read_or_refused_without_panicking(
        pieces in proptest::collection::vec(proptest::sample::select(JSON_PIECES), 0..60),
    ) {
        if let Ok(list) = serde_json::from_str::<Vec<Annotation>>(&pieces.concat()) {
            let _ = validate(&normalise(list));
        }
    }

    #[test]
    fn a_valid_shape_stays_on_the_image_however_it_is_moved(
        shape in shape(),
        dx in number(),
        dy in number(),
    ) {
        let a = Annotation { shape, text: "x".into(), note: String::new() };
        if validate(std::slice::from_ref(&a)).is_ok() {
            let moved = shape.moved(dx, dy);
            let (l, t, r, b) = moved.bounds();
            prop_assert!(l >= -1e-6 && t >= -1e-6 && r <= 1.0 + 1e-6 && b <= 1.0 + 1e-6, "{moved:?}");
        }
    }

    #[test]
    fn any_drag_draws_a_shape_on_the_image(
        from in (number(), number()),
        to in (number(), number()),
        tool in proptest::sample::select(&Tool::ALL[..]),
    ) {
        if let Some(shape) = Shape::from_drag(tool, from, to) {
            let (l, t, r, b) = shape.bounds();
            prop_assert!(l >= -1e-9 && t >= -1e-9 && r <= 1.0 + 1e-9 && b <= 1.0 + 1e-9, "{shape:?}");
        }
    }

    #[test]
    fn number_badges_fit_on_any_image(at in number(), size in number(), badge in 0.0..50.0f64) {
        let size = size.abs() * 5000.0;
        let x = badge_at(at * size, size, badge);
        if size >= 2.0 * badge && (at * size).is_finite() {
            prop_assert!(x >= badge && x <= size - badge);
        }
    }
}

/// Found by the moving property: a rectangle a hair wider than the image (validation allows
/// rounding past both edges) made `moved` panic.
#[test]
fn a_shape_a_hair_wider_than_the_image_does_not_move_or_panic() {
    let wide = Shape::Rect {
        x: -1e-10,
        y: 0.2,
        w: 1.0 + 2e-10,
        h: 0.3,
    };
    assert!(validate(&[Annotation {
        shape: wide,
        text: String::new(),
        note: String::new()
    }])
    .is_ok());
    assert_eq!(wide.moved(0.3, 0.0), wide);
    assert_eq!(wide.moved(f64::NAN, 0.0), wide);
}

/// A 10-pixel upload: its number badges used to make rendering panic.
#[test]
fn number_badges_on_a_tiny_image_sit_in_the_middle() {
    assert_eq!(badge_at(3.0, 10.0, 9.0), 5.0);
    assert_eq!(badge_at(500.0, 1000.0, 25.0), 500.0);
    assert_eq!(badge_at(0.0, 1000.0, 25.0), 25.0);
}

/// JSON nested far deeper than any annotation list is refused at once (serde_json stops at
/// 128 levels), not read into memory or recursed into until the stack overflows.
#[test]
fn deeply_nested_json_is_refused_quickly() {
    let started = std::time::Instant::now();
    for open in ["[", "{\"shape\":"] {
        let json = open.repeat(60_000);
        assert!(serde_json::from_str::<Vec<Annotation>>(&json).is_err());
        assert!(serde_json::from_str::<Vec<Shape>>(&json).is_err());
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
