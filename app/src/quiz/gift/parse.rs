//! Reading GIFT text: question blocks, then each block's name, text, answers and feedback.

use super::{unescape, GiftAnswer, GiftError, GiftItem};

/// Splits the file into question blocks separated by blank lines, dropping comment and category
/// lines. Each block comes with the line it starts on. A blank line inside an open answer block
/// does not end the question when answers continue after it; otherwise it does, so one unclosed
/// brace spoils one question, not the rest of the file.
pub(super) fn blocks(input: &str) -> Vec<(usize, String, Vec<String>)> {
    let lines: Vec<&str> = input.lines().collect();
    // The first non-blank line at or after each line, found once: looking ahead from every
    // blank line would make a run of blank lines inside an answer block quadratic.
    let mut next_text: Vec<Option<&str>> = vec![None; lines.len() + 1];
    for i in (0..lines.len()).rev() {
        let trimmed = lines[i].trim();
        next_text[i] = if trimmed.is_empty() {
            next_text[i + 1]
        } else {
            Some(trimmed)
        };
    }
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
                && next_text[i + 1].is_some_and(|next| next.starts_with(['=', '~', '#', '}']));
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

/// Where the question name's closing `::` starts: the first unescaped pair (a name may
/// contain `\:`, even at its end).
fn find_name_end(s: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(colon) = find_unescaped(s, at, ':') {
        if s[colon + 1..].starts_with(':') {
            return Some(colon);
        }
        at = colon + 1;
    }
    None
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

/// An answer's or a feedback's text: a `[html]`, `[plain]`, `[markdown]` or `[moodle]` marker at
/// its start is its format, not part of it (Moodle reads it so); HTML is reduced to its text.
fn marked_text(raw: &str) -> String {
    let (format, rest) = strip_format(raw);
    let text = unescape(rest.trim());
    if format == "html" {
        html_text(&text)
    } else {
        text
    }
}

/// The text of a little HTML: tags dropped (a `<br>` or a closing `</p>` as a line break), the
/// common entities decoded.
pub(crate) fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].trim().to_ascii_lowercase();
        if tag.starts_with("br") || tag == "/p" || tag == "/div" || tag == "/li" {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    decoded.trim().to_owned()
}

pub(super) fn parse_block(line: usize, block: &str) -> Result<GiftItem, GiftError> {
    let err = |offset: usize, message: String| GiftError {
        line: line_of(line, block, offset),
        error: message,
    };
    let mut rest_start = 0;
    let mut name = String::new();
    let lead = block.len() - block.trim_start().len();
    if block[lead..].starts_with("::") {
        let name_start = lead + 2;
        let Some(end) = find_name_end(block, name_start) else {
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
            tags: Vec::new(),
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
        Some(at) => (&inner[..at], marked_text(&inner[at + 4..])),
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
        tags: Vec::new(),
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
            .map(|f| marked_text(f))
            .unwrap_or_default();
        let right = feedbacks.get(1).map(|f| marked_text(f)).unwrap_or_default();
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
            tags: Vec::new(),
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
        let answer_text = marked_text(parts[0]);
        let feedback = parts.get(1).map(|f| marked_text(f)).unwrap_or_default();
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
        tags: Vec::new(),
        skipped: None,
    })
}

/// Where `####` (general feedback) starts, unescaped. In a longer run of `#` it is the last
/// four: `{FALSE#wrong#####general}` has an empty feedback before the general one.
fn find_general_feedback(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = find_unescaped(s, from, '#') {
        let run = s[at..].bytes().take_while(|b| *b == b'#').count();
        if run >= 4 {
            return Some(at + run - 4);
        }
        from = at + run;
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
