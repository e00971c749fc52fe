//! Quiz logic that needs the server: reading a posted answer, feedback with how others
//! answered, and item analysis.

use crate::quiz::{
    normalise_answer, short_answer_matches, AnswerReview, ItemStats, Question, QuestionKind,
    Response, StoredQuestion,
};
use crate::ssr::markdown;
use serde::Deserialize;

/// Reads an answer from the question page's form fields. `shown_width` is the width the hotspot
/// image was shown at (clicks on an image button arrive in its pixels).
pub fn response_from_form(
    question: &Question,
    fields: &[(String, String)],
    shown_width: u32,
    image_height_ratio: f64,
) -> Result<Response, String> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
    };
    let index = |v: &str| {
        v.parse::<usize>()
            .ok()
            .filter(|i| *i < question.answers.len())
            .ok_or_else(|| "That option is not part of this question.".to_owned())
    };
    match question.kind {
        QuestionKind::Single | QuestionKind::TrueFalse => match get("choice") {
            Some(v) if !v.is_empty() => Ok(Response::Choice { index: index(v)? }),
            _ => Err("Choose an answer.".into()),
        },
        QuestionKind::Multiple => {
            let mut indexes = Vec::new();
            for (_, v) in fields.iter().filter(|(k, _)| k == "choice") {
                let i = index(v.trim())?;
                if !indexes.contains(&i) {
                    indexes.push(i);
                }
            }
            if indexes.is_empty() {
                return Err("Tick at least one option.".into());
            }
            indexes.sort_unstable();
            Ok(Response::Choices { indexes })
        }
        QuestionKind::ShortAnswer => match get("text") {
            Some(v) if !v.is_empty() && v.chars().count() <= 200 => {
                Ok(Response::Text { text: v.to_owned() })
            }
            Some(v) if !v.is_empty() => Err("Keep the answer to 200 characters.".into()),
            _ => Err("Type your answer.".into()),
        },
        QuestionKind::Hotspot => {
            // From script: fractions. From an image button without script: pixels.
            let fraction = |name: &str| get(name).and_then(|v| v.parse::<f64>().ok());
            let point = match (fraction("x"), fraction("y")) {
                (Some(x), Some(y)) => Some((x, y)),
                _ => match (fraction("spot.x"), fraction("spot.y")) {
                    (Some(px), Some(py)) => {
                        let w = shown_width.max(1) as f64;
                        let h = (w * image_height_ratio).max(1.0);
                        Some((px / w, py / h))
                    }
                    _ => None,
                },
            };
            match point {
                Some((x, y)) if (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y) => {
                    Ok(Response::Point { x, y })
                }
                Some(_) => Err("Click inside the image.".into()),
                None => Err("Click on the image where you see it.".into()),
            }
        }
    }
}

/// The options or accepted answers that earn credit, as text.
pub fn correct_texts(q: &Question) -> Vec<String> {
    match q.kind {
        QuestionKind::Hotspot => vec!["The marked region".into()],
        _ => q
            .answers
            .iter()
            .filter(|a| a.weight > 0.0)
            .map(|a| {
                if a.weight >= 100.0 || q.kind == QuestionKind::Multiple {
                    a.text.clone()
                } else {
                    format!("{} (partial credit)", a.text)
                }
            })
            .collect(),
    }
}

/// Free text is shown only once at least this many different learners gave it: a rarer
/// answer could identify who wrote it, or carry whatever one person chose to type.
pub const MIN_LEARNERS_FOR_TEXT: usize = 5;

/// The label under which rarer free-text answers are counted together.
pub const OTHER_ANSWERS: &str = "Other answers";

/// Submitted answers to one question that were given alike, as the database counts them
/// (`quiz::db` reads them grouped, so a page never loads every answer to a question).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ResponseCount {
    /// What was answered; None for a hotspot, whose clicks are counted only by whether they
    /// were inside a region (`full_credit`).
    pub response: Option<Response>,
    /// The answers earned full credit (their stored grade: questions never change once
    /// answered, only retire).
    pub full_credit: bool,
    pub answers: i64,
    /// Free text only: up to `MIN_LEARNERS_FOR_TEXT` of the learners who gave it, which is
    /// enough to tell whether that many gave it in any of its spellings.
    #[serde(default)]
    pub learners: Vec<i64>,
}

/// How learners answered a question, as (label, count), from the counts of submitted answers.
/// Short answers: the most frequent first, each given by at least `MIN_LEARNERS_FOR_TEXT`
/// learners; the rest are counted together as "Other answers".
pub fn distribution(q: &Question, counts: &[ResponseCount]) -> Vec<(String, i64)> {
    match q.kind {
        QuestionKind::Single | QuestionKind::TrueFalse | QuestionKind::Multiple => q
            .answers
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let n = counts
                    .iter()
                    .filter(|c| match &c.response {
                        Some(Response::Choice { index }) => *index == i,
                        Some(Response::Choices { indexes }) => indexes.contains(&i),
                        _ => false,
                    })
                    .map(|c| c.answers)
                    .sum();
                (a.text.clone(), n)
            })
            .collect(),
        QuestionKind::ShortAnswer => {
            // (normalised text, answers, learners): spellings that normalise alike are one
            // answer, and a learner who gave two of them counts once.
            let mut merged: Vec<(String, i64, Vec<i64>)> = Vec::new();
            for c in counts {
                if let Some(Response::Text { text }) = &c.response {
                    let key = normalise_answer(text);
                    let at = match merged.iter().position(|(k, ..)| *k == key) {
                        Some(at) => at,
                        None => {
                            merged.push((key, 0, Vec::new()));
                            merged.len() - 1
                        }
                    };
                    let entry = &mut merged[at];
                    entry.1 += c.answers;
                    for learner in &c.learners {
                        if !entry.2.contains(learner) {
                            entry.2.push(*learner);
                        }
                    }
                }
            }
            merged.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut shown = Vec::new();
            let mut other = 0;
            for (text, n, learners) in merged {
                if learners.len() >= MIN_LEARNERS_FOR_TEXT && shown.len() < 5 {
                    shown.push((text, n));
                } else {
                    other += n;
                }
            }
            if other > 0 {
                shown.push((OTHER_ANSWERS.to_owned(), other));
            }
            shown
        }
        QuestionKind::Hotspot => {
            let count = |inside: bool| {
                counts
                    .iter()
                    .filter(|c| c.full_credit == inside)
                    .map(|c| c.answers)
                    .sum::<i64>()
            };
            vec![
                ("In the region".into(), count(true)),
                ("Elsewhere".into(), count(false)),
            ]
        }
    }
}

/// The feedback for an answer: the options' feedback, the explanation, the right answers and
/// how learners answered in submitted attempts (`counts`).
pub fn review(
    q: &Question,
    response: Response,
    fraction: f64,
    counts: &[ResponseCount],
) -> AnswerReview {
    AnswerReview {
        feedback: q.feedback_for(&response),
        response,
        fraction,
        explanation_html: markdown::render(&q.explanation),
        correct: correct_texts(q),
        distribution: distribution(q, counts),
    }
}

/// Item analysis over submitted attempts: share correct, discrimination between the top and
/// bottom scorers (upper and lower 27 %, at least one attempt each), most-chosen wrong option.
pub fn item_stats(
    questions: &[StoredQuestion],
    answers: &[(i64, f64, i64, Response, f64)],
) -> Vec<ItemStats> {
    let mut attempts: Vec<(i64, f64)> = Vec::new();
    for (attempt, score, ..) in answers {
        if !attempts.iter().any(|(a, _)| a == attempt) {
            attempts.push((*attempt, *score));
        }
    }
    attempts.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let group = ((attempts.len() as f64) * 0.27).ceil() as usize;
    let top: Vec<i64> = attempts.iter().take(group).map(|a| a.0).collect();
    let bottom: Vec<i64> = attempts.iter().rev().take(group).map(|a| a.0).collect();
    questions
        .iter()
        .map(|sq| {
            let mine: Vec<_> = answers.iter().filter(|a| a.2 == sq.id).collect();
            let answered = mine.len() as i64;
            let full = |a: &&&(i64, f64, i64, Response, f64)| a.4 >= 1.0 - 1e-9;
            let correct = if answered == 0 {
                0.0
            } else {
                mine.iter().filter(full).count() as f64 / answered as f64
            };
            let share = |ids: &[i64]| {
                let n = ids.len();
                (n > 0).then(|| {
                    ids.iter()
                        .filter(|id| mine.iter().any(|a| a.0 == **id && a.4 >= 1.0 - 1e-9))
                        .count() as f64
                        / n as f64
                })
            };
            let discrimination = if attempts.len() >= 2 {
                share(&top).zip(share(&bottom)).map(|(t, b)| t - b)
            } else {
                None
            };
            let q = &sq.question;
            let top_wrong = q
                .answers
                .iter()
                .enumerate()
                .filter(|(_, a)| a.weight <= 0.0)
                .map(|(i, a)| {
                    let n = mine
                        .iter()
                        .filter(|x| match &x.3 {
                            Response::Choice { index } => *index == i,
                            Response::Choices { indexes } => indexes.contains(&i),
                            Response::Text { text } => {
                                short_answer_matches(&a.text, &normalise_answer(text))
                            }
                            Response::Point { .. } => false,
                        })
                        .count() as i64;
                    (a.text.clone(), n)
                })
                .filter(|(_, n)| *n > 0)
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
            ItemStats {
                question_id: sq.id,
                answered,
                correct,
                discrimination,
                top_wrong,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::Answer;

    fn single() -> StoredQuestion {
        StoredQuestion {
            id: 1,
            question: Question {
                kind: QuestionKind::Single,
                name: String::new(),
                text: "Q".into(),
                explanation: String::new(),
                objective: String::new(),
                answers: ["a", "b", "c"]
                    .iter()
                    .enumerate()
                    .map(|(i, t)| Answer {
                        text: (*t).into(),
                        weight: if i == 0 { 100.0 } else { 0.0 },
                        feedback: String::new(),
                    })
                    .collect(),
                image_id: None,
                regions: Vec::new(),
            },
            retired_at: None,
        }
    }

    /// Counts (learner, response) pairs as `quiz::db` does in SQL: grouped by response (a
    /// hotspot by whether it earned full credit), keeping at most `MIN_LEARNERS_FOR_TEXT`
    /// learners of a free text (the lowest ids, as `array_agg(distinct …)[1:n]` does).
    fn counted(q: &Question, responses: &[(i64, Response)]) -> Vec<ResponseCount> {
        let mut counts: Vec<(ResponseCount, Vec<i64>)> = Vec::new();
        for (learner, r) in responses {
            let full_credit = q.is_correct(r);
            let response = (q.kind != QuestionKind::Hotspot).then(|| r.clone());
            let at = counts
                .iter()
                .position(|(c, _)| c.response == response && c.full_credit == full_credit)
                .unwrap_or_else(|| {
                    counts.push((
                        ResponseCount {
                            response,
                            full_credit,
                            answers: 0,
                            learners: Vec::new(),
                        },
                        Vec::new(),
                    ));
                    counts.len() - 1
                });
            counts[at].0.answers += 1;
            counts[at].1.push(*learner);
        }
        counts
            .into_iter()
            .map(|(mut c, mut learners)| {
                if q.kind == QuestionKind::ShortAnswer {
                    learners.sort_unstable();
                    learners.dedup();
                    learners.truncate(MIN_LEARNERS_FOR_TEXT);
                    c.learners = learners;
                }
                c
            })
            .collect()
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn answers_are_read_from_form_fields() {
        let q = single().question;
        assert_eq!(
            response_from_form(&q, &fields(&[("choice", "2")]), 0, 1.0),
            Ok(Response::Choice { index: 2 })
        );
        assert!(response_from_form(&q, &fields(&[("choice", "7")]), 0, 1.0).is_err());
        assert!(response_from_form(&q, &fields(&[]), 0, 1.0).is_err());
        let mut hotspot = q.clone();
        hotspot.kind = QuestionKind::Hotspot;
        // An image button reports pixels of the image as shown (640 wide, 480 high).
        assert_eq!(
            response_from_form(
                &hotspot,
                &fields(&[("spot.x", "320"), ("spot.y", "120")]),
                640,
                0.75
            ),
            Ok(Response::Point { x: 0.5, y: 0.25 })
        );
        assert_eq!(
            response_from_form(&hotspot, &fields(&[("x", "0.1"), ("y", "0.9")]), 640, 0.75),
            Ok(Response::Point { x: 0.1, y: 0.9 })
        );
        assert!(
            response_from_form(&hotspot, &fields(&[("x", "1.5"), ("y", "0.9")]), 640, 0.75)
                .is_err()
        );
    }

    #[test]
    fn free_text_shows_only_when_five_learners_gave_it() {
        let mut q = single().question;
        q.kind = QuestionKind::ShortAnswer;
        let text = |t: &str| Response::Text { text: t.into() };
        let mut responses = Vec::new();
        // Five learners wrote "Courvoisier's sign" (one of them twice, in two attempts).
        for learner in 1..=5 {
            responses.push((learner, text("Courvoisier's sign")));
        }
        responses.push((1, text("courvoisiers sign")));
        // One learner wrote the same rare text six times: still one learner.
        for _ in 0..6 {
            responses.push((9, text("Dr. Patil's patient in bed 4")));
        }
        // Four learners agree on something: not yet five.
        for learner in 10..14 {
            responses.push((learner, text("Murphy's sign")));
        }
        assert_eq!(
            distribution(&q, &counted(&q, &responses)),
            vec![
                ("courvoisiers sign".to_owned(), 6),
                (OTHER_ANSWERS.to_owned(), 10),
            ]
        );
        assert_eq!(distribution(&q, &[]), Vec::<(String, i64)>::new());
    }

    #[test]
    fn learners_are_counted_once_across_spellings_of_a_free_text() {
        let mut q = single().question;
        q.kind = QuestionKind::ShortAnswer;
        let text = |t: &str| Response::Text { text: t.into() };
        // Three learners wrote one spelling and the same three another: three learners, not
        // six, so the text stays hidden.
        let mut responses = Vec::new();
        for learner in 1..=3 {
            responses.push((learner, text("Murphy's sign")));
            responses.push((learner, text("murphys SIGN")));
        }
        assert_eq!(
            distribution(&q, &counted(&q, &responses)),
            vec![(OTHER_ANSWERS.to_owned(), 6)]
        );
        // Seven learners of one spelling (only five of them kept by the count) and two more of
        // another: shown, with every answer counted.
        for learner in 10..17 {
            responses.push((learner, text("Murphy's sign")));
        }
        for learner in 20..22 {
            responses.push((learner, text("MURPHYS sign")));
        }
        let counts = counted(&q, &responses);
        assert!(counts
            .iter()
            .all(|c| c.learners.len() <= MIN_LEARNERS_FOR_TEXT));
        assert_eq!(
            distribution(&q, &counts),
            vec![("murphys sign".to_owned(), 15)]
        );
    }

    #[test]
    fn options_and_hotspots_are_counted_from_grouped_answers() {
        let q = single().question;
        let counts = |response: Response, answers: i64| ResponseCount {
            full_credit: q.is_correct(&response),
            response: Some(response),
            answers,
            learners: Vec::new(),
        };
        assert_eq!(
            distribution(
                &q,
                &[
                    counts(Response::Choice { index: 2 }, 4),
                    counts(Response::Choice { index: 0 }, 7),
                ]
            ),
            vec![("a".into(), 7), ("b".into(), 0), ("c".into(), 4)]
        );
        let mut multiple = q.clone();
        multiple.kind = QuestionKind::Multiple;
        let ticked = |indexes: Vec<usize>, answers| ResponseCount {
            response: Some(Response::Choices { indexes }),
            full_credit: false,
            answers,
            learners: Vec::new(),
        };
        assert_eq!(
            distribution(&multiple, &[ticked(vec![0, 2], 3), ticked(vec![2], 2)]),
            vec![("a".into(), 3), ("b".into(), 0), ("c".into(), 5)]
        );
        let mut hotspot = q.clone();
        hotspot.kind = QuestionKind::Hotspot;
        let clicks = |full_credit, answers| ResponseCount {
            response: None,
            full_credit,
            answers,
            learners: Vec::new(),
        };
        assert_eq!(
            distribution(&hotspot, &[clicks(true, 6), clicks(false, 2)]),
            vec![("In the region".into(), 6), ("Elsewhere".into(), 2)]
        );
    }

    #[test]
    fn item_analysis_finds_discrimination_and_the_favourite_wrong_option() {
        let q = single();
        // Four attempts: the two best answered right, the two worst chose "c".
        let answers = vec![
            (10, 1.0, 1, Response::Choice { index: 0 }, 1.0),
            (11, 0.9, 1, Response::Choice { index: 0 }, 1.0),
            (12, 0.2, 1, Response::Choice { index: 2 }, 0.0),
            (13, 0.1, 1, Response::Choice { index: 2 }, 0.0),
        ];
        let stats = item_stats(&[q], &answers);
        assert_eq!(stats[0].answered, 4);
        assert_eq!(stats[0].correct, 0.5);
        assert_eq!(stats[0].discrimination, Some(1.0));
        assert_eq!(stats[0].top_wrong, Some(("c".into(), 2)));
    }
}
