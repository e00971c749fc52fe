//! Moodle GIFT import and export for quiz questions.
//!
//! Supported: multiple choice (`=` right, `~` wrong, per-answer `#feedback`), multiple response
//! (`~%50%` weights, negative ones too), true/false (`{T}`, `{FALSE#wrong#right}`), short answer
//! (only `=` answers, `=%50%` for partial credit), question names `::name::`, `//` comments,
//! `[markdown]`, `[html]`, `[plain]` and `[moodle]` text formats, `####` general feedback (kept as
//! the explanation), the escapes `\~ \= \# \{ \} \\ \:` and `\n`, answers over several lines, and
//! "missing word" questions (text after the answer block), and `// [tag:…]` comments before a
//! question (kept as its learning objective). Matching, numerical, essay and
//! description items are reported as skipped, never half-imported. Malformed input gives errors
//! with the line they start on.

use crate::quiz::{Answer, Question, QuestionKind};
use serde::Serialize;

/// One question read from a GIFT file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GiftItem {
    /// The line the question starts on (1-based).
    pub line: usize,
    pub name: String,
    /// `single`, `multiple`, `true_false`, `short_answer`, or the unsupported kind
    /// (`matching`, `numerical`, `essay`, `description`).
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    pub answers: Vec<GiftAnswer>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub explanation: String,
    /// `markdown`, `html`, `plain` or `moodle` (the default).
    #[serde(skip)]
    pub format: String,
    /// The learning objective, from `// [tag:…]` comments before the question.
    #[serde(skip)]
    pub objective: String,
    /// Why the item is not imported, for the unsupported kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GiftAnswer {
    pub text: String,
    pub weight: f64,
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GiftError {
    pub line: usize,
    pub error: String,
}

/// Reads a whole GIFT file: the questions found (supported and skipped) and the errors.
pub fn parse(input: &str) -> (Vec<GiftItem>, Vec<GiftError>) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for (line, block, tags) in blocks(input) {
        match parse_block(line, &block) {
            Ok(mut item) => {
                item.objective = tags.join(", ");
                items.push(item)
            }
            Err(error) => errors.push(error),
        }
    }
    (items, errors)
}

/// Splits the file into question blocks separated by blank lines, dropping comment and category
/// lines. Each block comes with the line it starts on. A blank line inside an open answer block
/// does not end the question when answers continue after it; otherwise it does, so one unclosed
/// brace spoils one question, not the rest of the file.
fn blocks(input: &str) -> Vec<(usize, String, Vec<String>)> {
    let lines: Vec<&str> = input.lines().collect();
    let mut out = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    let mut depth = 0i32;
    for (i, raw) in lines.iter().enumerate() {
        let line_no = i + 1;
        let trimmed = raw.trim();
        if depth <= 0 && (trimmed.starts_with("//") || trimmed.starts_with("$CATEGORY:")) {
            if current.trim().is_empty() {
                let mut rest = trimmed.trim_start_matches('/').trim();
                while let Some(after) = rest.strip_prefix("[tag:") {
                    let Some(end) = after.find(']') else { break };
                    let tag = after[..end].trim();
                    if !tag.is_empty() {
                        tags.push(tag.to_owned());
                    }
                    rest = after[end + 1..].trim_start();
                }
            }
            continue;
        }
        if trimmed.is_empty() {
            let continues = depth > 0
                && lines[i + 1..]
                    .iter()
                    .map(|l| l.trim())
                    .find(|l| !l.is_empty())
                    .is_some_and(|next| next.starts_with(['=', '~', '#', '}']));
            if !continues {
                if !current.trim().is_empty() {
                    out.push((
                        start,
                        std::mem::take(&mut current),
                        std::mem::take(&mut tags),
                    ));
                }
                current.clear();
                depth = 0;
                continue;
            }
        }
        if current.is_empty() {
            start = line_no;
        } else {
            current.push('\n');
        }
        current.push_str(raw);
        depth += brace_balance(raw);
    }
    if !current.trim().is_empty() {
        out.push((start, current, tags));
    }
    out
}

/// Unescaped `{` minus unescaped `}` on a line.
fn brace_balance(line: &str) -> i32 {
    let mut balance = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => balance += 1,
            '}' => balance -= 1,
            _ => {}
        }
    }
    balance
}

/// The byte index of the first unescaped `target` at or after `from`.
fn find_unescaped(s: &str, from: usize, target: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s[from..].char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
        } else if c == target {
            return Some(from + i);
        }
    }
    None
}

/// Replaces GIFT escapes with the characters they stand for.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(next @ ('~' | '=' | '#' | '{' | '}' | '\\' | ':')) => out.push(next),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes text for writing into a GIFT file.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | '\\' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

fn line_of(block_line: usize, block: &str, offset: usize) -> usize {
    block_line + block[..offset.min(block.len())].matches('\n').count()
}

fn strip_format(text: &str) -> (String, &str) {
    let trimmed = text.trim_start();
    for format in ["markdown", "html", "plain", "moodle"] {
        let tag = format!("[{format}]");
        if let Some(rest) = trimmed.strip_prefix(&tag) {
            return (format.to_owned(), rest);
        }
    }
    ("moodle".to_owned(), trimmed)
}

fn parse_block(line: usize, block: &str) -> Result<GiftItem, GiftError> {
    let err = |offset: usize, message: String| GiftError {
        line: line_of(line, block, offset),
        error: message,
    };
    let mut rest_start = 0;
    let mut name = String::new();
    let lead = block.len() - block.trim_start().len();
    if block[lead..].starts_with("::") {
        let name_start = lead + 2;
        let Some(end) = block[name_start..].find("::").map(|i| name_start + i) else {
            return Err(err(
                lead,
                "The question name opened with :: is not closed with ::.".into(),
            ));
        };
        name = unescape(block[name_start..end].trim());
        rest_start = end + 2;
    }
    let Some(open) = find_unescaped(block, rest_start, '{') else {
        let (format, text) = strip_format(&block[rest_start..]);
        return Ok(GiftItem {
            line,
            name,
            kind: "description".into(),
            text: unescape(text.trim()),
            answers: Vec::new(),
            explanation: String::new(),
            format,
            objective: String::new(),
            skipped: Some("A description (no answers) is not a question; skipped.".into()),
        });
    };
    let Some(close) = find_unescaped(block, open + 1, '}') else {
        return Err(err(
            open,
            "The answer block opened with { is never closed with }.".into(),
        ));
    };
    if let Some(second) = find_unescaped(block, close + 1, '{') {
        return Err(err(
            second,
            "Only one answer block { … } per question is supported.".into(),
        ));
    }
    let (format, before) = strip_format(&block[rest_start..open]);
    let after = block[close + 1..].trim();
    let mut text = unescape(before.trim());
    if !after.is_empty() {
        text = format!("{text} _____ {}", unescape(after));
    }
    if text.trim().is_empty() {
        return Err(err(
            open,
            "The question has no text before its answers.".into(),
        ));
    }
    let inner = &block[open + 1..close];
    let (inner, explanation) = match find_general_feedback(inner) {
        Some(at) => (&inner[..at], unescape(inner[at + 4..].trim())),
        None => (inner, String::new()),
    };
    let body = inner.trim();
    let skipped = |kind: &str, why: &str| GiftItem {
        line,
        name: name.clone(),
        kind: kind.into(),
        text: text.clone(),
        answers: Vec::new(),
        explanation: explanation.clone(),
        format: format.clone(),
        objective: String::new(),
        skipped: Some(format!("{why}; skipped.")),
    };
    if body.is_empty() {
        return Ok(skipped("essay", "Essay questions are not supported"));
    }
    if body.starts_with('#') {
        return Ok(skipped(
            "numerical",
            "Numerical questions are not supported",
        ));
    }
    // True/false: T, TRUE, F or FALSE, then up to two feedbacks (wrong answer, right answer).
    let head_end = find_unescaped(body, 0, '#').unwrap_or(body.len());
    let head = body[..head_end].trim().to_ascii_uppercase();
    if matches!(head.as_str(), "T" | "TRUE" | "F" | "FALSE") {
        let truth = head.starts_with('T');
        let feedbacks = if head_end < body.len() {
            split_unescaped(&body[head_end + 1..], '#')
        } else {
            Vec::new()
        };
        let wrong = feedbacks
            .first()
            .map(|f| unescape(f.trim()))
            .unwrap_or_default();
        let right = feedbacks
            .get(1)
            .map(|f| unescape(f.trim()))
            .unwrap_or_default();
        let (fb_true, fb_false) = if truth {
            (right, wrong)
        } else {
            (wrong, right)
        };
        return Ok(GiftItem {
            line,
            name,
            kind: "true_false".into(),
            text,
            answers: crate::quiz::true_false_answers(truth, &fb_true, &fb_false)
                .into_iter()
                .map(|a| GiftAnswer {
                    text: a.text,
                    weight: a.weight,
                    feedback: a.feedback,
                })
                .collect(),
            explanation,
            format,
            objective: String::new(),
            skipped: None,
        });
    }
    if !body.starts_with(['=', '~']) {
        return Err(err(
            open,
            "Answers start with = (right) or ~ (wrong); T or F for true/false.".into(),
        ));
    }
    let mut answers = Vec::new();
    let (mut right, mut wrong, mut weighted_wrong) = (0, 0, false);
    for (marker, raw) in answer_tokens(body) {
        if find_arrow(raw) {
            return Ok(skipped("matching", "Matching questions are not supported"));
        }
        let (weight_given, rest) = match parse_weight(raw) {
            Ok(parsed) => parsed,
            Err(message) => return Err(err(open, message)),
        };
        let parts = split_unescaped(rest, '#');
        let answer_text = unescape(parts[0].trim());
        let feedback = parts.get(1).map(|f| unescape(f.trim())).unwrap_or_default();
        if answer_text.is_empty() {
            return Err(err(open, "An answer has no text.".into()));
        }
        let weight = match (marker, weight_given) {
            (_, Some(w)) => w,
            ('=', None) => 100.0,
            _ => 0.0,
        };
        if marker == '=' {
            right += 1;
        } else {
            wrong += 1;
            if weight_given.is_some_and(|w| w > 0.0) {
                weighted_wrong = true;
            }
        }
        answers.push(GiftAnswer {
            text: answer_text,
            weight,
            feedback,
        });
    }
    let kind = if wrong == 0 {
        "short_answer"
    } else if right == 0 && weighted_wrong {
        "multiple"
    } else if right == 1 {
        "single"
    } else if right > 1 {
        return Err(err(
            open,
            "More than one answer is marked right with =. For several right answers use ~%50% style weights."
                .into(),
        ));
    } else {
        return Err(err(
            open,
            "No answer is marked right (with = or a positive ~%weight%).".into(),
        ));
    };
    Ok(GiftItem {
        line,
        name,
        kind: kind.into(),
        text,
        answers,
        explanation,
        format,
        objective: String::new(),
        skipped: None,
    })
}

/// Where `####` (general feedback) starts, unescaped.
fn find_general_feedback(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = find_unescaped(s, from, '#') {
        if s[at..].starts_with("####") {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn find_arrow(s: &str) -> bool {
    let mut escaped = false;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        if b == b'\\' {
            escaped = true;
        } else if b == b'-' && bytes.get(i + 1) == Some(&b'>') {
            return true;
        }
    }
    false
}

/// Splits at unescaped `sep` (keeping escapes for [`unescape`]).
fn split_unescaped(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut from = 0;
    while let Some(at) = find_unescaped(s, from, sep) {
        parts.push(&s[start..at]);
        start = at + sep.len_utf8();
        from = start;
    }
    parts.push(&s[start..]);
    parts
}

/// The answers of a block: each unescaped `=` or `~` starts one.
fn answer_tokens(body: &str) -> Vec<(char, &str)> {
    let mut starts = Vec::new();
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '=' | '~' => starts.push((i, c)),
            _ => {}
        }
    }
    // `->` and `=` inside feedback are escaped in valid files; an `=` right after `~` cannot
    // start an answer.
    let mut tokens = Vec::new();
    for (n, &(at, marker)) in starts.iter().enumerate() {
        let end = starts
            .get(n + 1)
            .map(|&(next, _)| next)
            .unwrap_or(body.len());
        tokens.push((marker, &body[at + 1..end]));
    }
    tokens
}

/// A leading `%50%` (or `%-33.33333%`) weight.
fn parse_weight(raw: &str) -> Result<(Option<f64>, &str), String> {
    let trimmed = raw.trim_start();
    let Some(rest) = trimmed.strip_prefix('%') else {
        return Ok((None, raw));
    };
    let Some(end) = rest.find('%') else {
        return Err("A weight opened with % is not closed with %.".into());
    };
    let value: f64 = rest[..end]
        .trim()
        .parse()
        .map_err(|_| format!("“{}” is not a weight in percent.", &rest[..end]))?;
    if !(-100.0..=100.0).contains(&value) {
        return Err(format!("The weight {value} % is outside -100 % … 100 %."));
    }
    Ok((Some(value), &rest[end + 1..]))
}

impl GiftItem {
    /// The Corridor question for a supported item (None for skipped kinds).
    pub fn to_question(&self) -> Option<Question> {
        let kind = match self.kind.as_str() {
            "single" => QuestionKind::Single,
            "multiple" => QuestionKind::Multiple,
            "true_false" => QuestionKind::TrueFalse,
            "short_answer" => QuestionKind::ShortAnswer,
            _ => return None,
        };
        let text = if self.format == "plain" {
            escape_markdown(&self.text)
        } else {
            self.text.clone()
        };
        Some(Question {
            kind,
            name: self.name.clone(),
            text,
            explanation: self.explanation.clone(),
            objective: self.objective.clone(),
            answers: self
                .answers
                .iter()
                .map(|a| Answer {
                    text: a.text.clone(),
                    weight: a.weight,
                    feedback: a.feedback.clone(),
                })
                .collect(),
            image_id: None,
            regions: Vec::new(),
        })
    }
}

fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_[]<>#|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn weight_text(w: f64) -> String {
    if w.fract() == 0.0 {
        format!("{w:.0}")
    } else {
        format!("{w}")
    }
}

/// Writes questions as GIFT (Markdown text). Hotspot questions have no GIFT form: they are
/// left out with a comment saying so.
pub fn export(questions: &[Question]) -> String {
    let mut out = String::new();
    for q in questions {
        if q.kind == QuestionKind::Hotspot {
            out.push_str(&format!(
                "// Hotspot question “{}” has no GIFT form and is left out.\n\n",
                q.name.replace('\n', " ")
            ));
            continue;
        }
        if !q.objective.is_empty() {
            out.push_str(&format!(
                "// [tag:{}]\n",
                q.objective.replace([']', '\n'], " ")
            ));
        }
        if !q.name.is_empty() {
            out.push_str(&format!("::{}::", escape(&q.name)));
        }
        out.push_str(&format!("[markdown]{} {{", escape(&q.text)));
        match q.kind {
            QuestionKind::TrueFalse => {
                let truth = q.answers.first().is_some_and(|a| a.weight > 0.0);
                let fb = |i: usize| q.answers.get(i).map(|a| a.feedback.as_str()).unwrap_or("");
                // Feedback for the wrong answer first, then for the right one.
                let (wrong, right) = if truth {
                    (fb(1), fb(0))
                } else {
                    (fb(0), fb(1))
                };
                out.push_str(if truth { "TRUE" } else { "FALSE" });
                if !wrong.is_empty() || !right.is_empty() {
                    out.push_str(&format!("#{}#{}", escape(wrong), escape(right)));
                }
            }
            _ => {
                for a in &q.answers {
                    let marker = match q.kind {
                        QuestionKind::Single if a.weight >= 100.0 => "=".to_owned(),
                        QuestionKind::ShortAnswer if a.weight >= 100.0 => "=".to_owned(),
                        QuestionKind::ShortAnswer => format!("=%{}%", weight_text(a.weight)),
                        _ if a.weight == 0.0 => "~".to_owned(),
                        _ => format!("~%{}%", weight_text(a.weight)),
                    };
                    out.push_str(&format!("\n\t{marker}{}", escape(&a.text)));
                    if !a.feedback.is_empty() {
                        out.push_str(&format!("#{}", escape(&a.feedback)));
                    }
                }
                out.push('\n');
            }
        }
        if !q.explanation.is_empty() {
            out.push_str(&format!("####{}", escape(&q.explanation)));
        }
        out.push_str("}\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
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
}
