use super::*;

fn ann(shape: Shape) -> Annotation {
    Annotation {
        shape,
        text: String::new(),
        note: String::new(),
    }
}

#[test]
fn drags_become_shapes_in_image_coordinates() {
    assert_eq!(
        Shape::from_drag(Tool::Rect, (0.6, 0.7), (0.2, 0.3)),
        Some(Shape::Rect {
            x: 0.2,
            y: 0.3,
            w: 0.39999999999999997,
            h: 0.39999999999999997
        })
    );
    let Some(Shape::Ellipse { cx, cy, rx, ry }) =
        Shape::from_drag(Tool::Ellipse, (0.1, 0.1), (0.5, 0.3))
    else {
        panic!("expected an ellipse");
    };
    assert!((cx - 0.3).abs() < 1e-12 && (cy - 0.2).abs() < 1e-12);
    assert!((rx - 0.2).abs() < 1e-12 && (ry - 0.1).abs() < 1e-12);
    // Dragging past the edge of the image stops at the edge.
    assert_eq!(
        Shape::from_drag(Tool::Arrow, (-0.5, 0.5), (1.5, 0.5)),
        Some(Shape::Arrow {
            x1: 0.0,
            y1: 0.5,
            x2: 1.0,
            y2: 0.5
        })
    );
    assert_eq!(Shape::from_drag(Tool::Select, (0.1, 0.1), (0.5, 0.5)), None);
}

#[test]
fn stray_clicks_draw_nothing_but_a_click_places_a_label() {
    assert_eq!(
        Shape::from_drag(Tool::Arrow, (0.5, 0.5), (0.501, 0.5)),
        None
    );
    assert_eq!(Shape::from_drag(Tool::Rect, (0.5, 0.5), (0.7, 0.502)), None);
    assert_eq!(
        Shape::from_drag(Tool::Label, (0.5, 0.5), (0.5, 0.5)),
        Some(Shape::Label { x: 0.5, y: 0.5 })
    );
}

#[test]
fn moving_keeps_the_whole_shape_on_the_image() {
    let rect = Shape::Rect {
        x: 0.7,
        y: 0.1,
        w: 0.2,
        h: 0.2,
    };
    assert_eq!(
        rect.moved(0.5, -0.5),
        Shape::Rect {
            x: 0.8,
            y: 0.0,
            w: 0.2,
            h: 0.2
        }
    );
    let arrow = Shape::Arrow {
        x1: 0.1,
        y1: 0.1,
        x2: 0.3,
        y2: 0.4,
    };
    let moved = arrow.moved(0.05, 0.05);
    assert_eq!(
        moved,
        Shape::Arrow {
            x1: 0.15000000000000002,
            y1: 0.15000000000000002,
            x2: 0.35,
            y2: 0.45
        }
    );
    assert!(validate(&[ann(moved)]).is_ok());
}

#[test]
fn valid_annotations_pass() {
    let list = vec![
        ann(Shape::Arrow {
            x1: 0.1,
            y1: 0.2,
            x2: 0.4,
            y2: 0.5,
        }),
        ann(Shape::Ellipse {
            cx: 0.5,
            cy: 0.5,
            rx: 0.5,
            ry: 0.2,
        }),
        ann(Shape::Rect {
            x: 0.0,
            y: 0.0,
            w: 1.0,
            h: 1.0,
        }),
        Annotation {
            shape: Shape::Label { x: 0.3, y: 0.9 },
            text: "Pneumothorax".into(),
            note: "Visceral pleural line with no lung markings beyond it.".into(),
        },
    ];
    assert_eq!(validate(&list), Ok(()));
}

#[test]
fn shapes_outside_the_image_are_refused() {
    let errors = validate(&[
        ann(Shape::Rect {
            x: 0.8,
            y: 0.1,
            w: 0.3,
            h: 0.1,
        }),
        ann(Shape::Ellipse {
            cx: 0.05,
            cy: 0.5,
            rx: 0.1,
            ry: 0.1,
        }),
        ann(Shape::Arrow {
            x1: -0.1,
            y1: 0.0,
            x2: 0.5,
            y2: 0.5,
        }),
    ])
    .unwrap_err();
    assert_eq!(
        errors,
        vec![
            "Annotation 1: the rectangle reaches outside the image.",
            "Annotation 2: the ellipse reaches outside the image.",
            "Annotation 3: the arrow reaches outside the image.",
        ]
    );
}

#[test]
fn degenerate_and_non_numeric_shapes_are_refused() {
    let errors = validate(&[
        ann(Shape::Rect {
            x: 0.1,
            y: 0.1,
            w: 0.0,
            h: 0.2,
        }),
        ann(Shape::Arrow {
            x1: 0.2,
            y1: 0.2,
            x2: 0.2,
            y2: 0.2,
        }),
        ann(Shape::Label {
            x: f64::NAN,
            y: 0.2,
        }),
    ])
    .unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].contains("too small"));
    assert!(errors[1].contains("too small"));
    assert!(errors[2].contains("not a number"));
}

#[test]
fn labels_need_text_and_texts_have_limits() {
    let mut list = vec![Annotation {
        shape: Shape::Label { x: 0.5, y: 0.5 },
        text: "   ".into(),
        note: String::new(),
    }];
    assert_eq!(
        validate(&list).unwrap_err(),
        vec!["Annotation 1: a label needs its text."]
    );
    list[0].text = "x".repeat(LABEL_MAX + 1);
    list[0].note = "n".repeat(NOTE_MAX + 1);
    let errors = validate(&list).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");
    list[0].text = "Bleed\u{7}".into();
    list[0].note = String::new();
    assert!(validate(&list).unwrap_err()[0].contains("control characters"));
}

#[test]
fn too_many_annotations_are_refused() {
    let list: Vec<_> = (0..=MAX_ANNOTATIONS)
        .map(|i| {
            ann(Shape::Rect {
                x: 0.01 * i as f64,
                y: 0.1,
                w: 0.05,
                h: 0.05,
            })
        })
        .collect();
    let errors = validate(&list).unwrap_err();
    assert_eq!(
        errors,
        vec![format!(
            "At most {MAX_ANNOTATIONS} annotations per image (31 given)."
        )]
    );
}

#[test]
fn stored_form_is_tagged_json() {
    let a = Annotation {
        shape: Shape::Arrow {
            x1: 0.25,
            y1: 0.5,
            x2: 0.75,
            y2: 0.5,
        },
        text: String::new(),
        note: "Air-fluid level".into(),
    };
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(
        json,
        r#"{"shape":{"type":"arrow","x1":0.25,"y1":0.5,"x2":0.75,"y2":0.5},"text":"","note":"Air-fluid level"}"#
    );
    let back: Annotation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
    // Unknown shapes are refused while decoding, before validation.
    assert!(serde_json::from_str::<Annotation>(r#"{"shape":{"type":"star","x":0.1}}"#).is_err());
}

#[test]
fn normalising_trims_and_drops_text_on_non_labels() {
    let out = normalise(vec![
        Annotation {
            shape: Shape::Rect {
                x: 0.1,
                y: 0.1,
                w: 0.2,
                h: 0.2,
            },
            text: "stray".into(),
            note: "  note  ".into(),
        },
        Annotation {
            shape: Shape::Label { x: 0.1, y: 0.1 },
            text: " RUL ".into(),
            note: String::new(),
        },
    ]);
    assert_eq!(out[0].text, "");
    assert_eq!(out[0].note, "note");
    assert_eq!(out[1].text, "RUL");
}
