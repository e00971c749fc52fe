//! Property tests of the question formats: GIFT and Moodle XML read any text without panicking
//! and in linear time, and an export of any valid questions imports back as the same questions.

use crate::quiz::gift::{self, GiftItem};
use crate::quiz::{true_false_answers, Answer, Question, QuestionKind};
use proptest::prelude::*;
use std::time::{Duration, Instant};

/// Pieces of text that are special to GIFT, Markdown or XML, or not ASCII.
const PIECES: &[&str] = &[
    "a",
    "b",
    "Hb",
    "9.8",
    " ",
    " ",
    "~",
    "=",
    "#",
    "####",
    "{",
    "}",
    "\\",
    ":",
    "::",
    "%",
    "50%",
    "[",
    "]",
    "[html]",
    "[markdown]",
    "->",
    "-",
    ">",
    "<",
    "&",
    "&amp;",
    "\"",
    "'",
    "*",
    "_",
    "`",
    "\n",
    "//",
    "$CATEGORY:",
    "T",
    "FALSE",
    "é",
    "हिंदी",
    "😀",
    "<b>",
    "]]>",
    "\\n",
];

/// A trimmed, non-empty text built from `PIECES`.
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 1..max)
        .prop_map(|p| p.concat().trim().to_owned())
        .prop_filter("empty", |t| !t.is_empty())
}

/// Text that is empty as often as not.
fn maybe_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), text(max)]
}

/// A learning objective: one line, no `]` (GIFT keeps it in a `[tag:…]` comment).
fn objective() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[a-zA-Z ,()é-]{1,30}"].prop_map(|o| o.trim().to_owned())
}

fn answer(text: String, weight: f64, feedback: String) -> Answer {
    Answer {
        text,
        weight,
        feedback,
    }
}

/// Any valid question GIFT and Moodle XML can carry.
fn question() -> impl Strategy<Value = Question> {
    let answers = proptest::collection::vec((text(8), maybe_text(8)), 2..5);
    (
        0..4u8,
        maybe_text(6),
        text(20),
        maybe_text(12),
        objective(),
        answers,
        any::<bool>(),
    )
        .prop_map(
            |(kind, name, text, explanation, objective, answers, truth)| {
                let count = answers.len();
                let (kind, answers) = match kind {
                    0 => (
                        QuestionKind::Single,
                        answers
                            .into_iter()
                            .enumerate()
                            .map(|(i, (t, f))| answer(t, if i == 0 { 100.0 } else { 0.0 }, f))
                            .collect(),
                    ),
                    1 => (
                        QuestionKind::Multiple,
                        answers
                            .into_iter()
                            .enumerate()
                            .map(|(i, (t, f))| {
                                let weight = if i + 1 < count {
                                    100.0 / (count - 1) as f64
                                } else {
                                    -50.0
                                };
                                answer(t, weight, f)
                            })
                            .collect(),
                    ),
                    2 => {
                        let mut feedback = answers.into_iter().map(|(_, f)| f);
                        let fb_true = feedback.next().unwrap_or_default();
                        let fb_false = feedback.next().unwrap_or_default();
                        (
                            QuestionKind::TrueFalse,
                            true_false_answers(truth, &fb_true, &fb_false),
                        )
                    }
                    _ => (
                        QuestionKind::ShortAnswer,
                        answers
                            .into_iter()
                            .enumerate()
                            .map(|(i, (t, f))| answer(t, if i == 0 { 100.0 } else { 50.0 }, f))
                            .collect(),
                    ),
                };
                Question {
                    kind,
                    name,
                    text,
                    explanation,
                    objective,
                    answers,
                    image_id: None,
                    regions: Vec::new(),
                }
            },
        )
        .prop_filter("valid", |q| q.validate().is_ok())
}

fn lines_of(input: &str) -> usize {
    input.lines().count().max(1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn gift_export_imports_back_as_the_same_questions(
        questions in proptest::collection::vec(question(), 1..4),
    ) {
        let written = gift::export(&questions);
        let (items, errors) = gift::parse(&written);
        prop_assert_eq!(errors, vec![], "{}", written);
        let back: Vec<Question> = items.iter().filter_map(GiftItem::to_question).collect();
        prop_assert_eq!(&back, &questions, "{}", written);
        prop_assert_eq!(gift::export(&back), written);
    }

    #[test]
    fn gift_reads_any_text_without_panicking(input in "\\PC{0,400}") {
        let (items, errors) = gift::parse(&input);
        for e in &errors {
            prop_assert!(e.line >= 1 && e.line <= lines_of(&input), "{e:?}");
        }
        for i in &items {
            prop_assert!(i.line >= 1 && i.line <= lines_of(&input));
            let _ = i.to_question();
        }
    }

    #[test]
    fn gift_reads_any_mix_of_its_syntax_without_panicking(
        pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..120),
    ) {
        let input = pieces.concat();
        let (items, errors) = gift::parse(&input);
        for e in &errors {
            prop_assert!(e.line >= 1 && e.line <= lines_of(&input), "{e:?}");
        }
        for i in &items {
            if let Some(q) = i.to_question() {
                // A question read is one a person could also write: it validates or says why.
                let _ = q.validate();
            }
        }
    }
}

#[cfg(feature = "ssr")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn moodle_export_imports_back_as_the_same_questions(
        questions in proptest::collection::vec(question(), 1..4),
    ) {
        use crate::quiz::moodle_xml;
        let written = moodle_xml::export(&questions);
        let (items, errors) = moodle_xml::parse(&written);
        prop_assert_eq!(errors, vec![], "{}", written);
        let back: Vec<Question> = items.iter().filter_map(GiftItem::to_question).collect();
        prop_assert_eq!(&back, &questions, "{}", written);
    }

    #[test]
    fn moodle_reads_any_text_without_panicking(input in "\\PC{0,400}") {
        let _ = crate::quiz::moodle_xml::parse(&input);
        let _ = crate::quiz::moodle_xml::parse(&format!("<quiz>{input}</quiz>"));
    }

    #[test]
    fn moodle_reads_any_mix_of_its_markup_without_panicking(
        pieces in proptest::collection::vec(proptest::sample::select(&[
            "<quiz>", "</quiz>", "<question type=\"multichoice\">", "<question type=\"truefalse\">",
            "<question type=\"shortanswer\">", "<question type=\"category\">", "</question>",
            "<name>", "</name>", "<text>", "</text>", "<questiontext format=\"html\">",
            "</questiontext>", "<answer fraction=\"100\">", "<answer fraction=\"-1e308\">",
            "<answer fraction=\"NaN\">", "</answer>", "<single>true</single>", "<feedback>",
            "</feedback>", "<tags><tag><text>t</text></tag></tags>", "<![CDATA[", "]]>", "&amp;",
            "&#0;", "&#x110000;", "&bogus;", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "<?xml?>", "a",
            " ", "\n", "é", "<", ">", "&", "<b>x</b>",
        ][..]), 0..80),
    ) {
        let _ = crate::quiz::moodle_xml::parse(&pieces.concat());
    }
}

/// Inputs at the import limit built to make a careless reader slow: each is read within a
/// generous bound (quadratic reading of these takes minutes).
#[test]
fn large_adversarial_imports_are_read_in_linear_time() {
    let size = gift::IMPORT_MAX_BYTES;
    let fill = |pattern: &str| pattern.repeat(size / pattern.len());
    let inputs = [
        // Found by this test: every blank line inside an open answer block looked ahead over
        // all the blank lines after it.
        format!("Q {{\n{}=a}}", "\n".repeat(size - 8)),
        format!("Q {{\n{}\n=a}}", " \n".repeat(size / 2 - 8)),
        fill("{"),
        fill("}"),
        fill("\\"),
        fill("::"),
        fill("Q {~%50%a#b"),
        fill("#"),
        fill("Q {=a->b\n"),
        fill("// [tag:x]"),
        fill("<p>"),
        fill("[html]"),
    ];
    for input in &inputs {
        let started = Instant::now();
        let _ = gift::parse(input);
        #[cfg(feature = "ssr")]
        let _ = crate::quiz::moodle_xml::parse(input);
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(10),
            "{:?}…: {took:?}",
            &input[..20.min(input.len())]
        );
    }
    #[cfg(feature = "ssr")]
    for input in [
        format!("<quiz>{}</quiz>", "<question>".repeat(size / 12)),
        format!("<quiz>{}</quiz>", "<a/>".repeat(size / 5)),
        format!("<quiz>{}</quiz>", "&amp;".repeat(size / 6)),
        format!(
            "<quiz><question type=\"multichoice\">{}</question></quiz>",
            "<answer fraction=\"1\"><text>a</text></answer>".repeat(size / 50)
        ),
    ] {
        let started = Instant::now();
        let _ = crate::quiz::moodle_xml::parse(&input);
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

/// Found by the round-trip property: answers and feedback that GIFT read back differently.
#[test]
fn gift_keeps_answers_that_look_like_markers_weights_or_matching() {
    let q = Question {
        kind: QuestionKind::Single,
        name: "ends with a colon:".into(),
        text: "Which?".into(),
        explanation: "[html]not a marker".into(),
        objective: String::new(),
        answers: vec![
            answer("Atenolol -> beta blocker".into(), 100.0, "x -> y".into()),
            answer("%50% off".into(), 0.0, "[plain] kept".into()),
            answer("a <b> & c".into(), 0.0, String::new()),
        ],
        image_id: None,
        regions: Vec::new(),
    };
    let written = gift::export(std::slice::from_ref(&q));
    let (items, errors) = gift::parse(&written);
    assert_eq!(errors, vec![], "{written}");
    assert_eq!(items[0].kind, "single", "{written}");
    assert_eq!(items[0].to_question(), Some(q), "{written}");
}

/// Found by the round-trip property: a true/false question with feedback for the wrong answer
/// only and an explanation was written `{FALSE#\~#####\~}`, and the explanation read back with
/// a `#` in front.
#[test]
fn gift_true_false_with_one_feedback_and_an_explanation() {
    let q = Question {
        kind: QuestionKind::TrueFalse,
        name: String::new(),
        text: "~".into(),
        explanation: "~".into(),
        objective: String::new(),
        answers: true_false_answers(false, "~", ""),
        image_id: None,
        regions: Vec::new(),
    };
    let written = gift::export(std::slice::from_ref(&q));
    let (items, errors) = gift::parse(&written);
    assert_eq!(errors, vec![], "{written}");
    assert_eq!(items[0].to_question(), Some(q), "{written}");
    // And a file written the old way reads right too.
    let (items, _) = gift::parse("Q {FALSE#\\~#####\\~}");
    assert_eq!(items[0].explanation, "~");
}
