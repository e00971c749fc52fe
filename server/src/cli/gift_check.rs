//! `server gift-check FILE`: parses a Moodle GIFT file without importing it. Prints one JSON
//! object per question (`{"line","name","type","text","answers":[{"text","weight","feedback"}]}`,
//! with `"skipped"` for kinds Corridor does not support) or per error (`{"line","error"}`), in
//! the order they appear. Exit status 0 when the file parsed cleanly, 1 when it has errors,
//! 2 when it cannot be read.

use app::quiz::gift::{parse, GiftError, GiftItem};
use std::io::Write;
use std::process::ExitCode;

/// The JSON lines for a parsed file, questions and errors in file order.
pub fn to_json_lines(items: &[GiftItem], errors: &[GiftError]) -> String {
    let mut lines: Vec<(usize, String)> = items
        .iter()
        .map(|i| (i.line, serde_json::to_string(i).unwrap_or_default()))
        .chain(
            errors
                .iter()
                .map(|e| (e.line, serde_json::to_string(e).unwrap_or_default())),
        )
        .collect();
    lines.sort_by_key(|(line, _)| *line);
    lines.into_iter().map(|(_, json)| json + "\n").collect()
}

pub fn run(path: Option<&str>) -> ExitCode {
    let Some(path) = path else {
        eprintln!("gift-check: usage: server gift-check FILE (or - for standard input)");
        return ExitCode::from(2);
    };
    let text = match crate::cli::phi_scan::read_input(Some(path)) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("gift-check: {path}: {error}");
            return ExitCode::from(2);
        }
    };
    let (items, errors) = parse(&text);
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_all(to_json_lines(&items, &errors).as_bytes()) {
        eprintln!("gift-check: writing output: {error}");
        return ExitCode::from(2);
    }
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
