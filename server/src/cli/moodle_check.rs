//! `server moodle-check FILE`: reads a Moodle XML question file without importing it, exactly
//! as `gift-check` reads GIFT: one JSON object per question (`{"line","name","type","text",
//! "answers":[{"text","weight","feedback"}]}`, with `"tags"` when it has some and `"skipped"`
//! for types Corridor does not support) or per error (`{"line","error"}`), in file order. Exit
//! status 0 when the file parsed cleanly, 1 when it has errors, 2 when it cannot be read.

use crate::cli::gift_check::to_json_lines;
use app::quiz::moodle_xml::parse;
use std::io::Write;
use std::process::ExitCode;

pub fn run(path: Option<&str>) -> ExitCode {
    let Some(path) = path else {
        eprintln!("moodle-check: usage: server moodle-check FILE (or - for standard input)");
        return ExitCode::from(2);
    };
    let text = match crate::cli::phi_scan::read_input(Some(path)) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("moodle-check: {path}: {error}");
            return ExitCode::from(2);
        }
    };
    let (items, errors) = parse(&text);
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_all(to_json_lines(&items, &errors).as_bytes()) {
        eprintln!("moodle-check: writing output: {error}");
        return ExitCode::from(2);
    }
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
