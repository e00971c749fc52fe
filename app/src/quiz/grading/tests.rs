use super::*;
use crate::quiz::true_false_answers;

fn answer(text: &str, weight: f64) -> Answer {
    Answer {
        text: text.into(),
        weight,
        feedback: format!("about {text}"),
    }
}

fn question(kind: QuestionKind, answers: Vec<Answer>) -> Question {
    Question {
        kind,
        name: String::new(),
        text: "Q".into(),
        explanation: String::new(),
        objective: String::new(),
        answers,
        image_id: None,
        regions: Vec::new(),
    }
}

#[test]
fn single_best_answer() {
    let q = question(
        QuestionKind::Single,
        vec![
            answer("Appendicitis", 0.0),
            answer("Ectopic", 100.0),
            answer("UTI", 0.0),
        ],
    );
    assert_eq!(q.validate(), Ok(()));
    assert_eq!(q.grade(&Response::Choice { index: 1 }), 1.0);
    assert_eq!(q.grade(&Response::Choice { index: 0 }), 0.0);
    assert_eq!(q.grade(&Response::Choice { index: 9 }), 0.0, "out of range");
    assert_eq!(
        q.grade(&Response::Text {
            text: "Ectopic".into()
        }),
        0.0,
        "wrong shape"
    );
    assert_eq!(
        q.feedback_for(&Response::Choice { index: 1 }),
        vec!["about Ectopic"]
    );
}

#[test]
fn multiple_response_gives_partial_and_negative_credit() {
    let q = question(
        QuestionKind::Multiple,
        vec![
            answer("Carbamazepine", 50.0),
            answer("Allopurinol", 50.0),
            answer("Paracetamol", -50.0),
            answer("Vitamin D", -50.0),
        ],
    );
    assert_eq!(q.validate(), Ok(()));
    assert_eq!(
        q.grade(&Response::Choices {
            indexes: vec![0, 1]
        }),
        1.0
    );
    assert_eq!(q.grade(&Response::Choices { indexes: vec![1] }), 0.5);
    assert_eq!(
        q.grade(&Response::Choices {
            indexes: vec![0, 1, 2]
        }),
        0.5
    );
    // Never below zero, however many wrong options are ticked; duplicates count once.
    assert_eq!(
        q.grade(&Response::Choices {
            indexes: vec![2, 3]
        }),
        0.0
    );
    assert_eq!(
        q.grade(&Response::Choices {
            indexes: vec![0, 0, 0]
        }),
        0.5
    );
    // Ticking everything does not pay.
    assert_eq!(
        q.grade(&Response::Choices {
            indexes: vec![0, 1, 2, 3]
        }),
        0.0
    );
    assert_eq!(q.grade(&Response::Choices { indexes: vec![] }), 0.0);
    assert_eq!(
        q.grade(&Response::Choices {
            indexes: vec![0, 7]
        }),
        0.0
    );
    assert!(q.is_correct(&Response::Choices {
        indexes: vec![1, 0]
    }));
}

#[test]
fn wrong_ticks_cancel_right_ones_even_without_negative_weights() {
    // Two right options, two wrong ones the author left at 0 %.
    let q = question(
        QuestionKind::Multiple,
        vec![
            answer("Carbamazepine", 50.0),
            answer("Allopurinol", 50.0),
            answer("Paracetamol", 0.0),
            answer("Vitamin D", 0.0),
        ],
    );
    assert_eq!(q.validate(), Ok(()));
    let grade = |indexes: Vec<usize>| q.grade(&Response::Choices { indexes });
    assert_eq!(grade(vec![0, 1]), 1.0);
    // Each wrong tick costs an equal share of the right options' credit (50 %).
    assert_eq!(grade(vec![0, 1, 2]), 0.5);
    assert_eq!(grade(vec![0, 1, 2, 3]), 0.0, "ticking everything");
    assert_eq!(grade(vec![0, 2]), 0.0);
    assert_eq!(grade(vec![2, 3]), 0.0, "never below zero");
    // A negative weight is the author's own price for that wrong tick.
    let priced = question(
        QuestionKind::Multiple,
        vec![
            answer("a", 50.0),
            answer("b", 50.0),
            answer("c", -20.0),
            answer("d", 0.0),
        ],
    );
    let grade = |indexes: Vec<usize>| priced.grade(&Response::Choices { indexes });
    assert!((grade(vec![0, 1, 2]) - 0.8).abs() < 1e-9);
    assert!((grade(vec![0, 1, 2, 3]) - 0.3).abs() < 1e-9);
    // Three right options: a wrong tick costs a third.
    let thirds = question(
        QuestionKind::Multiple,
        vec![
            answer("a", 100.0 / 3.0),
            answer("b", 100.0 / 3.0),
            answer("c", 100.0 / 3.0),
            answer("d", 0.0),
        ],
    );
    let all = thirds.grade(&Response::Choices {
        indexes: vec![0, 1, 2, 3],
    });
    assert!((all - 2.0 / 3.0).abs() < 1e-9, "{all}");
}

proptest::proptest! {
    /// Whatever the weights, ticking every option of a question with at least one wrong
    /// option never earns full credit; and no response scores outside 0..=1.
    #[test]
    fn ticking_everything_never_scores_full_marks_when_an_option_is_wrong(
        right in proptest::collection::vec(1u8..=100, 1..5),
        wrong in proptest::collection::vec(-100i8..=0, 1..5),
        picks in proptest::collection::vec(0usize..10, 0..10),
    ) {
        let total: f64 = right.iter().map(|w| f64::from(*w)).sum();
        let mut answers: Vec<Answer> = right
            .iter()
            .map(|w| answer("right", f64::from(*w) * 100.0 / total))
            .collect();
        answers.extend(wrong.iter().map(|w| answer("wrong", f64::from(*w))));
        let q = question(QuestionKind::Multiple, answers);
        proptest::prop_assert_eq!(q.validate(), Ok(()));
        let everything = Response::Choices { indexes: (0..q.answers.len()).collect() };
        proptest::prop_assert!(q.grade(&everything) < 1.0 - 1e-9);
        proptest::prop_assert!(!q.is_correct(&everything));
        let some = q.grade(&Response::Choices { indexes: picks });
        proptest::prop_assert!((0.0..=1.0).contains(&some));
    }
}

#[test]
fn true_false() {
    let q = question(
        QuestionKind::TrueFalse,
        true_false_answers(false, "No.", "Right."),
    );
    assert_eq!(q.validate(), Ok(()));
    assert_eq!(q.grade(&Response::Choice { index: 1 }), 1.0);
    assert_eq!(q.grade(&Response::Choice { index: 0 }), 0.0);
}

#[test]
fn short_answers_are_normalised_and_variants_accepted() {
    let q = question(
        QuestionKind::ShortAnswer,
        vec![
            answer("Courvoisier's sign", 100.0),
            answer("Courvoisier sign", 100.0),
            answer("Murphy's sign", 0.0),
            answer("gallbladder sign", 50.0),
        ],
    );
    assert_eq!(q.validate(), Ok(()));
    for given in [
        "courvoisiers sign",
        "  COURVOISIER'S   SIGN. ",
        "Courvoisier-sign",
        "courvoisier’s sign",
    ] {
        assert_eq!(
            q.grade(&Response::Text { text: given.into() }),
            1.0,
            "{given}"
        );
    }
    assert_eq!(
        q.grade(&Response::Text {
            text: "Gallbladder sign".into()
        }),
        0.5
    );
    assert_eq!(
        q.grade(&Response::Text {
            text: "Murphy's sign".into()
        }),
        0.0
    );
    assert_eq!(q.grade(&Response::Text { text: "   ".into() }), 0.0);
    assert_eq!(normalise_answer("Anti-HBs  (IgG)"), "anti hbs igg");
}

#[test]
fn hotspot_clicks_inside_a_region_score() {
    let mut q = question(QuestionKind::Hotspot, Vec::new());
    q.image_id = Some(4);
    q.regions = vec![
        Shape::Ellipse {
            cx: 0.3,
            cy: 0.3,
            rx: 0.1,
            ry: 0.05,
        },
        Shape::Rect {
            x: 0.6,
            y: 0.6,
            w: 0.2,
            h: 0.2,
        },
    ];
    assert_eq!(q.validate(), Ok(()));
    assert_eq!(q.grade(&Response::Point { x: 0.3, y: 0.3 }), 1.0);
    assert_eq!(q.grade(&Response::Point { x: 0.39, y: 0.3 }), 1.0);
    assert_eq!(
        q.grade(&Response::Point { x: 0.3, y: 0.36 }),
        0.0,
        "outside the ellipse"
    );
    assert_eq!(q.grade(&Response::Point { x: 0.7, y: 0.79 }), 1.0);
    assert_eq!(q.grade(&Response::Point { x: 0.5, y: 0.5 }), 0.0);
    assert_eq!(
        q.grade(&Response::Point {
            x: f64::NAN,
            y: 0.5
        }),
        0.0
    );
    q.regions.push(Shape::Label { x: 0.5, y: 0.5 });
    assert!(q.validate().is_err(), "labels are not regions");
}

#[test]
fn badly_formed_questions_are_refused() {
    let two_correct = question(
        QuestionKind::Single,
        vec![answer("a", 100.0), answer("b", 100.0)],
    );
    assert!(two_correct.validate().unwrap_err().contains("exactly one"));
    let short = question(
        QuestionKind::Multiple,
        vec![answer("a", 50.0), answer("b", 20.0), answer("c", -100.0)],
    );
    assert!(short.validate().unwrap_err().contains("add up to 100"));
    let overweight = question(
        QuestionKind::Single,
        vec![answer("a", 100.0), answer("b", 150.0)],
    );
    assert!(overweight.validate().is_err());
    let mut hotspot = question(QuestionKind::Hotspot, Vec::new());
    hotspot.regions = vec![Shape::Rect {
        x: 0.1,
        y: 0.1,
        w: 0.1,
        h: 0.1,
    }];
    assert!(hotspot.validate().unwrap_err().contains("image"));
}
