//! Grading and validation of quiz questions: the fraction of credit a response earns, the
//! feedback it triggers, and the checks an authored or imported question must pass.

use crate::media::annotations::Shape;
use crate::quiz::{Answer, Question, QuestionKind, Response};

/// Normalises a short answer for comparison: lower case, punctuation and hyphens as spaces,
/// runs of spaces as one. "Courvoisier's  Sign" and "courvoisiers sign" compare equal.
pub fn normalise_answer(text: &str) -> String {
    normalise_piece(text).trim().to_owned()
}

/// Whether short answer `accepted` (as its author wrote it) matches a learner's answer,
/// already normalised (`normalise_answer`). A `*` in `accepted` stands for any text, Moodle's
/// wildcard (`\*` is a literal star); without one, the normalised texts must be equal.
pub fn short_answer_matches(accepted: &str, given: &str) -> bool {
    let pieces = split_wildcards(accepted);
    if pieces.len() == 1 {
        return normalise_answer(accepted) == given;
    }
    let last = pieces.len() - 1;
    let pieces: Vec<String> = pieces
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let piece = normalise_piece(p);
            match (i == 0, i == last) {
                (true, _) => piece.trim_start().to_owned(),
                (_, true) => piece.trim_end().to_owned(),
                _ => piece,
            }
        })
        .collect();
    let Some(rest) = given.strip_prefix(pieces[0].as_str()) else {
        return false;
    };
    let Some(mut middle) = rest.strip_suffix(pieces[last].as_str()) else {
        return false;
    };
    for piece in &pieces[1..last] {
        match middle.find(piece.as_str()) {
            Some(at) => middle = &middle[at + piece.len()..],
            None => return false,
        }
    }
    true
}

/// `accepted` split at its unescaped `*`s, `\*` kept as a star.
fn split_wildcards(accepted: &str) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut chars = accepted.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'*') => {
                chars.next();
                pieces.last_mut().unwrap().push('*');
            }
            '*' => pieces.push(String::new()),
            _ => pieces.last_mut().unwrap().push(c),
        }
    }
    pieces
}

/// `normalise_answer` without the final trim: a piece of a wildcard answer keeps the space
/// its edge stands for (`blue *` needs a word after "blue").
fn normalise_piece(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if c == '\'' || c == '’' {
            // Apostrophes vanish: "Addison's" = "Addisons".
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

/// Whether a point lies in a region (rectangles and ellipses are regions; lines and labels
/// are not).
pub fn region_contains(region: &Shape, x: f64, y: f64) -> bool {
    match *region {
        Shape::Rect { x: rx, y: ry, w, h } => x >= rx && x <= rx + w && y >= ry && y <= ry + h,
        Shape::Ellipse { cx, cy, rx, ry } => {
            rx > 0.0 && ry > 0.0 && ((x - cx) / rx).powi(2) + ((y - cy) / ry).powi(2) <= 1.0
        }
        Shape::Arrow { .. } | Shape::Label { .. } => false,
    }
}

impl Question {
    /// The fraction of the question's credit a response earns, 0.0..=1.0. A response of the
    /// wrong shape (a text for a choice question, an index out of range) earns nothing.
    pub fn grade(&self, response: &Response) -> f64 {
        let weight = |i: usize| self.answers.get(i).map(|a| a.weight);
        let fraction = match (self.kind, response) {
            (QuestionKind::Single | QuestionKind::TrueFalse, Response::Choice { index }) => {
                weight(*index).unwrap_or(0.0) / 100.0
            }
            (QuestionKind::Multiple, Response::Choices { indexes }) => {
                // A wrong tick costs its own negative weight, or else an equal share of the
                // right options' credit: ticking everything must not pay when some options
                // are wrong, even if the author gave those no weight.
                let right: Vec<f64> = self
                    .answers
                    .iter()
                    .map(|a| a.weight)
                    .filter(|w| *w > 0.0)
                    .collect();
                let share = right.iter().sum::<f64>() / right.len().max(1) as f64;
                let mut seen = Vec::new();
                let mut total = 0.0;
                for &i in indexes {
                    if seen.contains(&i) {
                        continue;
                    }
                    seen.push(i);
                    match weight(i) {
                        Some(w) if w != 0.0 => total += w,
                        Some(_) => total -= share,
                        None => return 0.0,
                    }
                }
                total / 100.0
            }
            (QuestionKind::ShortAnswer, Response::Text { text }) => {
                let given = normalise_answer(text);
                if given.is_empty() {
                    0.0
                } else {
                    self.answers
                        .iter()
                        .filter(|a| short_answer_matches(&a.text, &given))
                        .map(|a| a.weight)
                        .fold(0.0, f64::max)
                        / 100.0
                }
            }
            (QuestionKind::Hotspot, Response::Point { x, y })
                if x.is_finite()
                    && y.is_finite()
                    && self.regions.iter().any(|r| region_contains(r, *x, *y)) =>
            {
                1.0
            }
            _ => 0.0,
        };
        fraction.clamp(0.0, 1.0)
    }

    /// Whether a response earns full credit.
    pub fn is_correct(&self, response: &Response) -> bool {
        self.grade(response) >= 1.0 - 1e-9
    }

    /// The feedback of the options a response chose.
    pub fn feedback_for(&self, response: &Response) -> Vec<String> {
        let pick = |i: &usize| {
            self.answers
                .get(*i)
                .map(|a| a.feedback.clone())
                .filter(|f| !f.is_empty())
        };
        match response {
            Response::Choice { index } => pick(index).into_iter().collect(),
            Response::Choices { indexes } => indexes.iter().filter_map(pick).collect(),
            Response::Text { text } => {
                // The best answer it matches speaks (a `*` catch-all's "wrong" feedback is not
                // shown to someone who also matched a right answer).
                let given = normalise_answer(text);
                self.answers
                    .iter()
                    .filter(|a| !given.is_empty() && short_answer_matches(&a.text, &given))
                    .fold(None::<&Answer>, |best, a| match best {
                        Some(b) if b.weight >= a.weight => Some(b),
                        _ => Some(a),
                    })
                    .map(|a| a.feedback.clone())
                    .filter(|f| !f.is_empty())
                    .into_iter()
                    .collect()
            }
            Response::Point { .. } => Vec::new(),
        }
    }

    /// Checks a question an author wrote or imported; problems name the question.
    pub fn validate(&self) -> Result<(), String> {
        if self.text.trim().is_empty() {
            return Err("The question has no text.".into());
        }
        if self
            .answers
            .iter()
            .any(|a| !a.weight.is_finite() || a.weight < -100.0 || a.weight > 100.0)
        {
            return Err("Answer weights lie between -100 % and 100 %.".into());
        }
        let full = |a: &&Answer| a.weight >= 100.0 - 1e-9;
        match self.kind {
            QuestionKind::Single => {
                if self.answers.len() < 2 {
                    return Err("A single-best-answer question needs at least two options.".into());
                }
                if self.answers.iter().filter(full).count() != 1 {
                    return Err(
                        "A single-best-answer question has exactly one correct option.".into(),
                    );
                }
            }
            QuestionKind::Multiple => {
                if self.answers.len() < 2 {
                    return Err("A multiple-response question needs at least two options.".into());
                }
                let best: f64 = self.answers.iter().map(|a| a.weight.max(0.0)).sum();
                if (best - 100.0).abs() > 0.5 {
                    return Err(format!(
                        "The positive weights of a multiple-response question add up to 100 % (here {best:.0} %)."
                    ));
                }
            }
            QuestionKind::TrueFalse => {
                if self.answers.len() != 2 || self.answers.iter().filter(full).count() != 1 {
                    return Err("A true/false question has the two answers, one correct.".into());
                }
            }
            QuestionKind::ShortAnswer => {
                if !self
                    .answers
                    .iter()
                    .any(|a| full(&a) && !normalise_answer(&a.text).is_empty())
                {
                    return Err(
                        "A short-answer question needs at least one fully correct answer.".into(),
                    );
                }
            }
            QuestionKind::Hotspot => {
                if self.image_id.is_none() {
                    return Err("A hotspot question needs one of the case's images.".into());
                }
                if self.regions.is_empty()
                    || self
                        .regions
                        .iter()
                        .any(|r| !matches!(r, Shape::Rect { .. } | Shape::Ellipse { .. }))
                {
                    return Err(
                        "Draw the region a learner must click, as a rectangle or an ellipse."
                            .into(),
                    );
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
