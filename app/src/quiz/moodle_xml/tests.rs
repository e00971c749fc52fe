use super::{export, looks_like, parse};
use crate::quiz::gift::IMPORT_MAX_BYTES;
use crate::quiz::{Answer, Question, QuestionKind};

/// A file as Moodle 4 exports a question bank: a category, then one question of each kind it
/// has, HTML in CDATA, per-answer and general feedback, tags, and the settings Corridor has no
/// use for (penalty, hints, combined feedback, files).
const MOODLE_EXPORT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Default for Surgery/Hepatobiliary</text>
    </category>
    <info format="moodle_auto_format">
      <text>The default category for questions shared in context 'Surgery'.</text>
    </info>
    <idnumber></idnumber>
  </question>

<!-- question: 101  -->
  <question type="multichoice">
    <name>
      <text>Courvoisier</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p dir="ltr" style="text-align: left;">A jaundiced man has a <b>palpable</b>, non-tender gallbladder.&nbsp;Likeliest cause?<br></p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>Think periampullary cancer.</p>]]></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>0</showstandardinstruction>
    <correctfeedback format="html">
      <text>Your answer is correct.</text>
    </correctfeedback>
    <partiallycorrectfeedback format="html">
      <text>Your answer is partially correct.</text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html">
      <text>Your answer is incorrect.</text>
    </incorrectfeedback>
    <shownumcorrect/>
    <answer fraction="100" format="html">
      <text><![CDATA[<p>Carcinoma of the head of pancreas</p>]]></text>
      <feedback format="html">
        <text><![CDATA[<p>Courvoisier's law.</p>]]></text>
      </feedback>
    </answer>
    <answer fraction="0" format="html">
      <text><![CDATA[<p>Gallstones in the CBD</p>]]></text>
      <feedback format="html">
        <text><![CDATA[<p>Stones leave a fibrosed gallbladder.</p>]]></text>
      </feedback>
    </answer>
    <answer fraction="0" format="html">
      <text>Hepatitis A</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <hint format="html">
      <text>Which law?</text>
    </hint>
    <tags>
      <tag><text>jaundice</text>
</tag>
      <tag><text>signs</text>
</tag>
    </tags>
  </question>

<!-- question: 102  -->
  <question type="multichoice">
    <name>
      <text>SJS &amp; drugs</text>
    </name>
    <questiontext format="html">
      <text>&lt;p&gt;Which commonly cause SJS in India?&lt;/p&gt;</text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <single>false</single>
    <answer fraction="50" format="html">
      <text>Carbamazepine</text>
      <feedback format="html"><text>Yes.</text></feedback>
    </answer>
    <answer fraction="50" format="html">
      <text>Allopurinol</text>
      <feedback format="html"><text></text></feedback>
    </answer>
    <answer fraction="-100" format="html">
      <text>Vitamin D</text>
      <feedback format="html"><text>No &#8212; not at all.</text></feedback>
    </answer>
  </question>

<!-- question: 103  -->
  <question type="truefalse">
    <name>
      <text>Peaked T</text>
    </name>
    <questiontext format="moodle_auto_format">
      <text>Peaked T waves come before QRS widening.</text>
    </questiontext>
    <generalfeedback format="moodle_auto_format">
      <text></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>1.0000000</penalty>
    <hidden>0</hidden>
    <answer fraction="100" format="moodle_auto_format">
      <text>true</text>
      <feedback format="html">
        <text>Right.</text>
      </feedback>
    </answer>
    <answer fraction="0" format="moodle_auto_format">
      <text>false</text>
      <feedback format="html">
        <text>Think again.</text>
      </feedback>
    </answer>
  </question>

<!-- question: 104  -->
  <question type="shortanswer">
    <name>
      <text>Sign</text>
    </name>
    <questiontext format="plain_text">
      <text>Name the sign (*one* word is enough).</text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <usecase>0</usecase>
    <answer fraction="100" format="moodle_auto_format">
      <text>Courvoisier*</text>
      <feedback format="html">
        <text>Yes.</text>
      </feedback>
    </answer>
    <answer fraction="50" format="moodle_auto_format">
      <text>gallbladder sign</text>
      <feedback format="html">
        <text>Half right.</text>
      </feedback>
    </answer>
    <answer fraction="0" format="moodle_auto_format">
      <text>*</text>
      <feedback format="html">
        <text>Completely wrong.</text>
      </feedback>
    </answer>
  </question>

<!-- question: 105  -->
  <question type="essay">
    <name>
      <text>Approach</text>
    </name>
    <questiontext format="html">
      <text>Describe your approach.</text>
    </questiontext>
    <responseformat>editor</responseformat>
  </question>

<!-- question: 106  -->
  <question type="multianswer">
    <name>
      <text>Cloze</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[Courvoisier is {1:SHORTANSWER:=sign}]]></text>
    </questiontext>
  </question>
</quiz>
"#;

fn question(kind: QuestionKind, name: &str, text: &str, answers: &[(&str, f64, &str)]) -> Question {
    Question {
        kind,
        name: name.into(),
        text: text.into(),
        explanation: String::new(),
        objective: String::new(),
        answers: answers
            .iter()
            .map(|(text, weight, feedback)| Answer {
                text: (*text).into(),
                weight: *weight,
                feedback: (*feedback).into(),
            })
            .collect(),
        image_id: None,
        regions: Vec::new(),
    }
}

#[test]
fn a_moodle_export_reads_every_supported_type_and_skips_the_rest() {
    let (items, errors) = parse(MOODLE_EXPORT);
    assert_eq!(errors, vec![]);
    let kinds: Vec<&str> = items.iter().map(|i| i.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "single",
            "multiple",
            "true_false",
            "short_answer",
            "essay",
            "multianswer"
        ],
        "the category is left out"
    );

    let single = &items[0];
    assert_eq!(single.line, 15);
    assert_eq!(single.name, "Courvoisier");
    assert_eq!(
        single.text,
        "A jaundiced man has a palpable, non-tender gallbladder. Likeliest cause?"
    );
    assert_eq!(single.explanation, "Think periampullary cancer.");
    assert_eq!(single.tags, ["jaundice", "signs"]);
    assert_eq!(single.objective, "jaundice, signs");
    let answers: Vec<(&str, f64, &str)> = single
        .answers
        .iter()
        .map(|a| (a.text.as_str(), a.weight, a.feedback.as_str()))
        .collect();
    assert_eq!(
        answers,
        [
            (
                "Carcinoma of the head of pancreas",
                100.0,
                "Courvoisier's law."
            ),
            (
                "Gallstones in the CBD",
                0.0,
                "Stones leave a fibrosed gallbladder."
            ),
            ("Hepatitis A", 0.0, ""),
        ]
    );

    // Entities outside CDATA: escaped HTML, `&amp;` and character references.
    let multiple = &items[1];
    assert_eq!(multiple.name, "SJS & drugs");
    assert_eq!(multiple.text, "Which commonly cause SJS in India?");
    let weights: Vec<f64> = multiple.answers.iter().map(|a| a.weight).collect();
    assert_eq!(weights, [50.0, 50.0, -100.0]);
    assert_eq!(multiple.answers[2].feedback, "No — not at all.");

    let tf = items[2].to_question().unwrap();
    assert_eq!(tf.kind, QuestionKind::TrueFalse);
    assert_eq!(
        tf.answers,
        crate::quiz::true_false_answers(true, "Right.", "Think again.")
    );

    // Plain text is shown as written: Markdown's characters are escaped.
    let short = items[3].to_question().unwrap();
    assert_eq!(short.text, r"Name the sign (\*one\* word is enough).");
    assert_eq!(short.answers[0].text, "Courvoisier*");
    assert_eq!(short.answers[1].weight, 50.0);
    assert_eq!(short.answers[2].text, "*");
    assert_eq!(short.answers[2].feedback, "Completely wrong.");
    assert!(crate::quiz::short_answer_matches(
        &short.answers[0].text,
        &crate::quiz::normalise_answer("Courvoisier's")
    ));

    for (item, name, why) in [
        (
            &items[4],
            "Approach",
            "Essay questions are not supported; skipped.",
        ),
        (
            &items[5],
            "Cloze",
            "Embedded-answer (Cloze) questions are not supported; skipped.",
        ),
    ] {
        assert_eq!(item.name, name);
        assert_eq!(item.skipped.as_deref(), Some(why));
        assert!(item.to_question().is_none());
    }
}

#[test]
fn every_usable_question_passes_validation() {
    let (items, _) = parse(MOODLE_EXPORT);
    for item in items.iter().filter(|i| i.skipped.is_none()) {
        item.to_question().unwrap().validate().unwrap();
    }
}

#[test]
fn single_is_read_as_moodle_reads_it() {
    let doc = |single: &str| {
        format!(
            r#"<quiz><question type="multichoice"><name><text>q</text></name>
            <questiontext format="markdown"><text>Pick</text></questiontext>{single}
            <answer fraction="100"><text>a</text></answer>
            <answer fraction="0"><text>b</text></answer></question></quiz>"#
        )
    };
    for (single, kind) in [
        ("<single>true</single>", "single"),
        ("<single>1</single>", "single"),
        ("", "single"),
        ("<single>false</single>", "multiple"),
        ("<single>0</single>", "multiple"),
    ] {
        let (items, errors) = parse(&doc(single));
        assert_eq!(errors, vec![], "{single}");
        assert_eq!(items[0].kind, kind, "{single}");
        assert_eq!(items[0].format, "markdown");
    }
}

#[test]
fn unusable_questions_are_errors_at_their_line_and_the_rest_still_read() {
    let doc = r#"<?xml version="1.0"?>
<quiz>
  <question type="multichoice">
    <name><text>No right answer</text></name>
    <questiontext format="html"><text>Pick</text></questiontext>
    <single>true</single>
    <answer fraction="0"><text>a</text></answer>
    <answer fraction="0"><text>b</text></answer>
  </question>
  <question type="shortanswer">
    <questiontext><text>Spell it</text></questiontext>
    <answer fraction="150"><text>x</text></answer>
  </question>
  <question type="truefalse">
    <questiontext><text>Is it?</text></questiontext>
    <answer fraction="100"><text>maybe</text></answer>
  </question>
  <question>
    <questiontext><text>Typeless</text></questiontext>
  </question>
  <question type="shortanswer">
    <questiontext><text>Fine</text></questiontext>
    <answer fraction="100"><text>yes</text></answer>
  </question>
  <question type="multichoice">
    <questiontext><text>  </text></questiontext>
    <answer fraction="100"><text>a</text></answer>
  </question>
  <question type="multichoice">
    <questiontext><text>Weight?</text></questiontext>
    <answer fraction="lots"><text>a</text></answer>
  </question>
</quiz>"#;
    let (items, errors) = parse(doc);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].text, "Fine");
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 12, 14, 18, 25, 31]);
    assert!(
        errors[0].error.contains("exactly one correct option"),
        "{}",
        errors[0].error
    );
    assert!(errors[1].error.contains("outside -100 %"));
    assert!(errors[2].error.contains("“maybe”"));
    assert!(errors[3].error.contains("no type"));
    assert!(errors[4].error.contains("no text"));
    assert!(errors[5].error.contains("“lots”"));
}

#[test]
fn malformed_xml_is_one_error_with_its_line() {
    for (doc, line, says) in [
        (
            "<?xml version=\"1.0\"?>\n<quiz>\n<question type=\"truefalse\">\n<name><text>x</name>\n</question>\n</quiz>",
            4,
            "not well formed",
        ),
        (
            "<quiz>\n  <question type=\"essay\">\n    <name><text>Unclosed</text></name>\n",
            2,
            "never closed",
        ),
        (
            "<quiz>\n<question type=\"essay\">\n<name><text>A &nbsp; B</text></name>\n</question>\n</quiz>",
            3,
            "&nbsp;",
        ),
        (
            "<quiz>\n<question type=\"essay\">\n<name><text>A & B</text></name>\n</question>\n</quiz>",
            3,
            "not well formed",
        ),
        (
            "<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [<!ENTITY a \"aaaa\">]>\n<quiz>&a;</quiz>",
            2,
            "document type",
        ),
        ("<quiz></quiz>\n<quiz></quiz>", 2, "second top-level"),
        ("<questions>\n</questions>", 1, "not <quiz>"),
        ("<?xml version=\"1.0\"?>\n", 1, "no XML elements"),
        ("<quiz>\n</quiz>\nstray words", 3, "outside the <quiz>"),
    ] {
        let (items, errors) = parse(doc);
        assert!(items.is_empty(), "{doc}");
        assert_eq!(errors.len(), 1, "{doc}: {errors:?}");
        assert_eq!(errors[0].line, line, "{doc}: {}", errors[0].error);
        assert!(errors[0].error.contains(says), "{doc}: {}", errors[0].error);
    }
}

#[test]
fn input_is_bounded_in_size_and_depth() {
    let huge = format!("<quiz>{}</quiz>", " ".repeat(IMPORT_MAX_BYTES));
    let (items, errors) = parse(&huge);
    assert!(items.is_empty());
    assert!(errors[0].error.contains("256 KB"), "{}", errors[0].error);

    let deep = format!(
        "<quiz>{}{}</quiz>",
        "<a>".repeat(10_000),
        "</a>".repeat(10_000)
    );
    let (items, errors) = parse(&deep);
    assert!(items.is_empty());
    assert!(
        errors[0].error.contains("nest more than"),
        "{}",
        errors[0].error
    );
}

#[test]
fn xml_is_told_from_gift() {
    assert!(looks_like("<?xml version=\"1.0\"?><quiz/>"));
    assert!(looks_like("\u{feff}\n  <quiz>"));
    assert!(!looks_like("::Q:: <b>bold</b> {T}"));
    assert!(!looks_like("// [tag:x]\n::Q:: x {T}"));
    let (items, errors) = parse("\u{feff}<?xml version=\"1.0\"?>\n<quiz/>");
    assert!(items.is_empty() && errors.is_empty(), "{errors:?}");
}

/// Every supported type with names, Markdown text, explanations, objectives, per-answer
/// feedback, partial and negative weights and wildcards, plus text that XML must escape.
fn module() -> Vec<Question> {
    let mut single = question(
        QuestionKind::Single,
        "Courvoisier <law> & co",
        "A man has a **palpable** gallbladder.\nLikeliest cause?",
        &[
            (
                "Carcinoma of the head of pancreas",
                100.0,
                "Courvoisier's law.",
            ),
            (
                "Gallstones in the CBD",
                25.0,
                "Stones leave a fibrosed gallbladder.",
            ),
            ("Hepatitis A", 0.0, ""),
        ],
    );
    single.explanation = "Think *periampullary* cancer.".into();
    single.objective = "Obstructive jaundice, signs".into();
    let multiple = question(
        QuestionKind::Multiple,
        "SJS",
        "Which cause SJS? (`two`)",
        &[
            ("Carbamazepine", 33.33333, "Yes"),
            ("Allopurinol", 66.66667, ""),
            ("Vitamin D", -100.0, "No: \"never\""),
        ],
    );
    let mut tf = question(
        QuestionKind::TrueFalse,
        "Peaked T",
        "Peaked T waves come first.",
        &[],
    );
    tf.answers =
        crate::quiz::true_false_answers(false, "Think again.", "Right.\r\nQRS widens later.");
    let short = question(
        QuestionKind::ShortAnswer,
        "Sign",
        "Name the sign.",
        &[
            ("Courvoisier*", 100.0, "Yes."),
            ("Courvoisier\\*s", 50.0, "A literal star."),
            ("*", 0.0, "Completely wrong."),
        ],
    );
    let unnamed = question(
        QuestionKind::Single,
        "",
        "No name here",
        &[("a", 100.0, ""), ("b", 0.0, "")],
    );
    vec![single, multiple, tf, short, unnamed]
}

#[test]
fn an_export_imports_back_as_the_same_questions() {
    let module = module();
    let xml = export(&module);
    assert!(looks_like(&xml));
    let (items, errors) = parse(&xml);
    assert_eq!(errors, vec![], "{xml}");
    let back: Vec<Question> = items.iter().map(|i| i.to_question().unwrap()).collect();
    assert_eq!(back, module, "{xml}");
    // In Moodle's shape: a multiple-response question is a multichoice that is not single.
    assert!(xml.contains("<question type=\"multichoice\">"));
    assert!(xml.contains("<single>false</single>"));
    assert!(xml.contains("<answer fraction=\"-100\" format=\"plain_text\">"));
    assert!(xml.contains("<answer fraction=\"33.33333\""));
    assert!(xml.contains("<text>Courvoisier &lt;law&gt; &amp; co</text>"));
    assert!(xml.contains("<tags>"));
}

#[test]
fn hotspot_questions_are_left_out_with_a_comment() {
    let mut hotspot = question(
        QuestionKind::Hotspot,
        "Where -- is it?",
        "Click the duct",
        &[],
    );
    hotspot.image_id = Some(4);
    let xml = export(&[hotspot, module().remove(0)]);
    assert!(xml.contains("<!-- Hotspot question “Where — is it?” has no Moodle XML form"));
    let (items, errors) = parse(&xml);
    assert_eq!(errors, vec![]);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].name, "Courvoisier <law> & co");
}

#[test]
fn a_gift_export_and_a_moodle_export_agree() {
    let module = module();
    let (from_gift, errors) = crate::quiz::gift::parse(&crate::quiz::gift::export(&module));
    assert_eq!(errors, vec![]);
    let (from_xml, errors) = parse(&export(&module));
    assert_eq!(errors, vec![]);
    let questions = |items: &[crate::quiz::gift::GiftItem]| -> Vec<Question> {
        items.iter().filter_map(|i| i.to_question()).collect()
    };
    // GIFT cannot carry a carriage return; everything else matches.
    let mut expected = questions(&from_xml);
    expected[2].answers[1].feedback = expected[2].answers[1].feedback.replace('\r', "");
    let mut gift = questions(&from_gift);
    gift[2].answers[1].feedback = gift[2].answers[1].feedback.replace('\r', "");
    assert_eq!(gift, expected);
}
