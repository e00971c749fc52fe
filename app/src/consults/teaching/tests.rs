//! The draft a consult becomes: every part of the request and of the answer lands in the case,
//! under the heading a reader expects, and nothing overflows the case's limits.

use super::*;
use crate::cases::{NewCase, SECTIONS};

fn request() -> ConsultText {
    ConsultText {
        specialty: "cardiology".into(),
        question: "Is this ECG early repolarisation or an evolving inferior MI?".into(),
        situation: "Two days of atypical chest discomfort, pain-free now.".into(),
        background: "Smoker, no known diabetes.".into(),
        assessment: "Troponin normal at 6 hours; 1 mm ST elevation in II, III, aVF.".into(),
        ask: "Refer today, or follow up in clinic?".into(),
        age_band: Some(AgeBand::From40To64),
        sex: Some(Sex::Male),
        findings: "BP 130/80, HR 72, chest clear.".into(),
        investigations: "ECG, troponin.".into(),
        medicines: "Aspirin 75 mg.".into(),
        tried: "Antacids, no relief.".into(),
        ..ConsultText::default()
    }
}

fn answer() -> Answer {
    Answer {
        impression: "Early repolarisation; no evolving infarct.".into(),
        recommendations: "Repeat ECG in a week; clinic review.".into(),
        red_flags: "New pain at rest: refer the same day.".into(),
        referral: Referral::Routine,
        investigations: "Lipid profile.".into(),
        citations: "ESC 2023 ACS guideline.".into(),
        free_text: "Compare with any old ECG.".into(),
    }
}

fn contains_all(case: &NewCase, texts: &[&str]) {
    for text in texts {
        assert!(
            case.body.contains(text),
            "{text:?} missing from\n{}",
            case.body
        );
    }
}

#[test]
fn the_request_and_the_answer_become_the_case() {
    let case = teaching_case(&request(), &answer());
    assert_eq!(
        case.title,
        "Is this ECG early repolarisation or an evolving inferior MI?"
    );
    assert_eq!(
        case.summary,
        "Aged 40–64 years, male. Two days of atypical chest discomfort, pain-free now."
    );
    assert_eq!(case.specialty, "cardiology");
    assert_eq!(case.kind, Kind::Case);
    let r = request();
    let a = answer();
    contains_all(
        &case,
        &[
            &r.situation,
            &r.background,
            &r.assessment,
            &r.ask,
            &r.findings,
            &r.investigations,
            &r.medicines,
            &r.tried,
            &r.question,
            &a.impression,
            &a.recommendations,
            &a.red_flags,
            &a.investigations,
            &a.citations,
            &a.free_text,
            "Routine referral advised.",
            "Aged 40–64 years, male",
        ],
    );
    // Each part under its section, so the editor shows it in the right field.
    assert!(case.sections.examination.contains(&r.findings));
    assert!(case.sections.investigations.contains(&r.investigations));
    assert!(case
        .sections
        .history
        .contains("**Medicines:** Aspirin 75 mg."));
    assert!(case.sections.management.contains(&a.impression));
    assert!(case.sections.notes.contains("**References:** ESC 2023"));
    // The authors write these.
    assert!(case.sections.outcome.is_empty() && case.sections.teaching_points.is_empty());
    // The body is the sections under their headings, as the editor composes it.
    assert_eq!(case.body, case.sections.compose());
    for heading in ["## Presentation", "## History", "## Management", "## Notes"] {
        assert!(case.body.contains(heading), "{heading}");
    }
    assert!(case.reading_minutes >= 1);
}

#[test]
fn parts_left_empty_leave_no_empty_headings() {
    let text = ConsultText {
        specialty: "cardiology".into(),
        question: "Short question?".into(),
        situation: "Now.".into(),
        ask: "Advice.".into(),
        age_band: Some(AgeBand::Under1),
        sex: Some(Sex::NotStated),
        ..ConsultText::default()
    };
    let a = Answer {
        red_flags: String::new(),
        investigations: String::new(),
        citations: String::new(),
        free_text: String::new(),
        referral: Referral::No,
        ..answer()
    };
    let case = teaching_case(&text, &a);
    assert_eq!(case.summary, "Aged under 1 year. Now.");
    assert!(!case.body.contains("## History"));
    assert!(!case.body.contains("## Notes"));
    assert!(!case.body.contains("**Red flags:**"));
    assert!(case.body.contains("No referral advised."));
    let headings = SECTIONS
        .iter()
        .filter(|(key, _)| !case.sections.get(key).is_empty())
        .count();
    assert_eq!(headings, 2, "presentation and management only");
}

#[test]
fn long_texts_are_clipped_to_the_case_limits() {
    let long = "word ".repeat(200);
    let text = ConsultText {
        question: long.clone(),
        situation: long.clone(),
        ..request()
    };
    let case = teaching_case(&text, &answer());
    assert!(case.title.chars().count() <= TITLE_MAX);
    assert!(case.title.ends_with('…'));
    assert!(case.summary.chars().count() <= SUMMARY_MAX);
    // The whole question still reaches the body.
    assert!(case.body.contains(long.trim()));
    // And the result passes the editor's own checks.
    let again = NewCase::parse(crate::cases::CaseInput {
        title: &case.title,
        specialty: &case.specialty,
        summary: &case.summary,
        body: &case.sections.notes,
        sections: case.sections.clone(),
        tags: "",
        visibility: "all",
        specialty_known: true,
        has_department: true,
        kind: Kind::Case,
        related: "",
    })
    .expect("a valid case");
    assert_eq!(again.body, case.body);
}

#[test]
fn a_consult_without_a_question_still_has_a_title() {
    let text = ConsultText {
        question: "  ".into(),
        situation: String::new(),
        age_band: None,
        sex: None,
        ..request()
    };
    let case = teaching_case(&text, &answer());
    assert_eq!(case.title, "A teaching case from a consult");
    assert_eq!(
        case.summary,
        "A case discussed between colleagues in a consult."
    );
}
