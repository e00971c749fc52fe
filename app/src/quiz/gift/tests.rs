use super::*;

const SAMPLE: &str = r#"// A sample file with one of everything.
$CATEGORY: $course$/Surgery

// [tag:obstructive jaundice]
::Courvoisier::[markdown]A jaundiced man has a **palpable, non-tender** gallbladder. The likeliest cause is {
	=Carcinoma of the head of pancreas#Courvoisier's law.
	~Gallstones in the CBD#Stones usually leave a fibrosed gallbladder.
	~Hepatitis A
####Painless jaundice with a palpable gallbladder: think periampullary cancer.
}

::SJS drugs:: Which of these commonly cause SJS/TEN in India? {
	~%50%Carbamazepine#Yes: aromatic anticonvulsant.
	~%50%Allopurinol
	~%-50%Paracetamol#Rarely.
	~%-50%Vitamin D
}

// True/false, feedback for the wrong answer first.
::TF::Peaked T waves come before QRS widening in hyperkalaemia.{TRUE#Think again: peaked T waves come first.#Right.}

::Short::Name the sign. {
	=Courvoisier's sign
	=%50%gallbladder sign#Half marks: say whose sign.
}

::Escapes::What does 50\% of 1\=1 \{really\} mean\: a \~ b \# c \\ d? {=it\=works#fb \# here ~no}

::Missing word::The ECG shows a {=sine wave ~normal sinus rhythm} pattern in severe hyperkalaemia.

::Multi-line::Choose the right
answer spread over lines {
	=The right answer
	 continues here
	~A wrong one
}

::Match:: Match drug and class {
	=Atenolol -> beta blocker
	=Amlodipine -> calcium channel blocker
}

::Num:: Normal potassium upper limit? {#5.0:0.5}

::Essay:: Describe your approach to shock. {}

Just a description with no answers.
"#;

#[test]
fn every_supported_kind_is_read() {
    let (items, errors) = parse(SAMPLE);
    assert_eq!(errors, vec![]);
    let kinds: Vec<_> = items
        .iter()
        .map(|i| (i.name.as_str(), i.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("Courvoisier", "single"),
            ("SJS drugs", "multiple"),
            ("TF", "true_false"),
            ("Short", "short_answer"),
            ("Escapes", "single"),
            ("Missing word", "single"),
            ("Multi-line", "single"),
            ("Match", "matching"),
            ("Num", "numerical"),
            ("Essay", "essay"),
            ("", "description"),
        ]
    );
    let first = &items[0];
    assert_eq!(first.line, 5);
    assert_eq!(first.objective, "obstructive jaundice");
    assert_eq!(
        items[1].objective, "",
        "tags belong to the next question only"
    );
    assert_eq!(first.format, "markdown");
    assert!(first.text.contains("**palpable, non-tender**"));
    assert_eq!(first.answers[0].weight, 100.0);
    assert_eq!(first.answers[0].feedback, "Courvoisier's law.");
    assert_eq!(first.answers[2].feedback, "");
    assert!(first.explanation.starts_with("Painless jaundice"));

    let multiple = &items[1];
    let weights: Vec<f64> = multiple.answers.iter().map(|a| a.weight).collect();
    assert_eq!(weights, vec![50.0, 50.0, -50.0, -50.0]);

    let tf = items[2].to_question().unwrap();
    assert_eq!(tf.answers[0].weight, 100.0, "TRUE is right");
    assert_eq!(tf.answers[0].feedback, "Right.");
    assert_eq!(
        tf.answers[1].feedback,
        "Think again: peaked T waves come first."
    );

    let short = &items[3];
    assert_eq!(short.answers[1].weight, 50.0);
    assert_eq!(short.answers[1].feedback, "Half marks: say whose sign.");
}

#[test]
fn escapes_missing_words_and_multi_line_answers() {
    let (items, _) = parse(SAMPLE);
    let escapes = &items[4];
    assert_eq!(
        escapes.text,
        "What does 50\\% of 1=1 {really} mean: a ~ b # c \\ d?"
    );
    assert_eq!(escapes.answers[0].text, "it=works");
    assert_eq!(escapes.answers[0].feedback, "fb # here");
    assert_eq!(escapes.answers[1].text, "no");
    assert_eq!(
        items[5].text,
        "The ECG shows a _____ pattern in severe hyperkalaemia."
    );
    assert_eq!(items[6].text, "Choose the right\nanswer spread over lines");
    assert_eq!(
        items[6].answers[0].text,
        "The right answer\n\t continues here"
    );
    for skipped in &items[7..] {
        assert!(skipped.skipped.is_some());
        assert!(skipped.to_question().is_none());
    }
}

#[test]
fn malformed_input_gives_line_numbered_errors() {
    let input = "::A:: fine {=yes ~no}\n\n::B:: never closed {\n=yes\n~no\n\n::C:: two right {=a =b ~c}\n\n::D:: {=x}\n\n::E:: bad weight {~%abc%x =y}\n\n::F:: no right {~a ~b}\n\n::G unclosed name {=a ~b}\n";
    let (items, errors) = parse(input);
    assert_eq!(items.len(), 1, "{items:?}");
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 7, 9, 11, 13, 15], "{errors:?}");
    assert!(errors[0].error.contains("never closed"));
    assert!(errors[1].error.contains("More than one"));
    assert!(errors[2].error.contains("no text"));
    assert!(errors[3].error.contains("not a weight"));
    assert!(errors[4].error.contains("No answer is marked right"));
    assert!(errors[5].error.contains("not closed with ::"));
}

#[test]
fn export_then_import_gives_the_same_questions() {
    let (items, errors) = parse(SAMPLE);
    assert!(errors.is_empty());
    let questions: Vec<Question> = items.iter().filter_map(GiftItem::to_question).collect();
    assert_eq!(questions.len(), 7);
    for q in &questions {
        assert_eq!(q.validate(), Ok(()), "{q:?}");
    }
    let written = export(&questions);
    let (again, errors) = parse(&written);
    assert_eq!(errors, vec![], "{written}");
    let round: Vec<Question> = again.iter().filter_map(GiftItem::to_question).collect();
    assert_eq!(round, questions, "{written}");
    // And a second trip changes nothing in the text either.
    assert_eq!(export(&round), written);
}

#[test]
fn hotspot_questions_are_left_out_of_gift_with_a_note() {
    let q = Question {
        kind: QuestionKind::Hotspot,
        name: "Click the pneumothorax".into(),
        text: "Where?".into(),
        explanation: String::new(),
        objective: String::new(),
        answers: Vec::new(),
        image_id: Some(1),
        regions: Vec::new(),
    };
    let written = export(&[q]);
    assert!(written.starts_with("// Hotspot question “Click the pneumothorax”"));
    assert_eq!(parse(&written), (vec![], vec![]));
}

#[test]
fn serialises_as_gift_check_prints_it() {
    let (items, _) = parse("::Q1:: 2+2? {=4#yes ~5}");
    let json = serde_json::to_string(&items[0]).unwrap();
    assert_eq!(
        json,
        r#"{"line":1,"name":"Q1","type":"single","text":"2+2?","answers":[{"text":"4","weight":100.0,"feedback":"yes"},{"text":"5","weight":0.0,"feedback":""}]}"#
    );
}

/// Moodle writes a text format at the start of an answer or a feedback too (its own test file
/// has `~[plain]blue` and `# [html]wrong, it's yellow`): the marker is the text's format, not
/// part of it.
#[test]
fn format_markers_on_answers_and_feedback_are_formats() {
    let gift = "::Rhythm::Which rhythm has no P waves and an irregularly irregular rate? {\n\
        =[plain]Atrial fibrillation # [html]Right: <b>no P waves</b>, irregular &amp; fast.\n\
        ~[html]Atrial <i>flutter</i> # [plain]Saw-tooth waves, often regular.\n\
        ~%0%[markdown]Sinus arrhythmia # [moodle]Varies with breathing.\n\
        ####[html]<p>Look at the baseline.</p>\n\
    }\n\n\
    ::TF::Peaked T waves come first in hyperkalaemia.{T#[html]No: <em>they do</em>.#[plain]Right.}\n";
    let (items, errors) = parse(gift);
    assert_eq!(errors, vec![]);
    let q = &items[0];
    let texts: Vec<(&str, &str)> = q
        .answers
        .iter()
        .map(|a| (a.text.as_str(), a.feedback.as_str()))
        .collect();
    assert_eq!(
        texts,
        [
            (
                "Atrial fibrillation",
                "Right: no P waves, irregular & fast."
            ),
            ("Atrial flutter", "Saw-tooth waves, often regular."),
            ("Sinus arrhythmia", "Varies with breathing."),
        ]
    );
    assert_eq!(q.explanation, "Look at the baseline.");
    let tf = &items[1];
    let feedback: Vec<&str> = tf.answers.iter().map(|a| a.feedback.as_str()).collect();
    assert!(
        feedback.contains(&"No: they do.") && feedback.contains(&"Right."),
        "{feedback:?}"
    );
}

/// A short answer `*` is Moodle's wildcard: `=%0%*#…` catches every other answer, and
/// `*` inside an answer stands for any text.
#[test]
fn short_answer_wildcards_match_in_grading_and_feedback() {
    use crate::quiz::Response;
    let gift = "::Sign::Whose sign is a palpable painless gallbladder?{\n\
        =Courvoisier*#Yes.\n\
        =%50%*gallbladder sign#Half: whose?\n\
        =%0%*#Not that one.\n\
    }\n";
    let (items, errors) = parse(gift);
    assert_eq!(errors, vec![]);
    let q = items[0].to_question().unwrap();
    assert_eq!(q.validate(), Ok(()));
    let grade = |t: &str| q.grade(&Response::Text { text: t.into() });
    let feedback = |t: &str| q.feedback_for(&Response::Text { text: t.into() });
    assert_eq!(grade("Courvoisier's sign"), 1.0);
    assert_eq!(grade("courvoisier"), 1.0);
    assert_eq!(
        feedback("Courvoisier's law"),
        ["Yes."],
        "the best match speaks"
    );
    assert_eq!(grade("the gallbladder sign"), 0.5);
    assert_eq!(feedback("the gallbladder sign"), ["Half: whose?"]);
    assert_eq!(grade("Murphy's sign"), 0.0);
    assert_eq!(feedback("Murphy's sign"), ["Not that one."]);
    assert_eq!(grade("   "), 0.0);
    assert!(feedback("   ").is_empty());
}

#[test]
fn wildcard_pieces_keep_their_word_edges() {
    use crate::quiz::{normalise_answer, short_answer_matches};
    let m = |accepted: &str, given: &str| short_answer_matches(accepted, &normalise_answer(given));
    assert!(m("blue *", "blue sky"));
    assert!(!m("blue *", "bluesky"), "the space before * is a word edge");
    assert!(!m("blue *", "blue"));
    assert!(m("*itis", "Cholecystitis"));
    assert!(m("a*b*c", "A, then b, then C"));
    assert!(!m("a*b*c", "a c b"));
    assert!(m("*", "anything at all"));
    assert!(
        m("5 \\* 3", "5 * 3"),
        "an escaped star is a literal (normalised) star"
    );
    assert!(!m("5 \\* 3", "5 times 3"));
    assert!(
        m("Addison's", "addisons"),
        "no star: equal after normalising"
    );
}
