//! `server phi-scan [FILE]`: the privacy guard for operators and scripts.
//! One JSON object per finding — `{"kind","start","end","text"}`, byte offsets — on standard
//! output; exit status 1 when anything was found, 0 when nothing, 2 on error.

use app::privacy::{scan, Finding};
use serde::Serialize;
use std::io::{Read, Write};
use std::process::ExitCode;

#[derive(Serialize)]
struct Line<'a> {
    kind: &'static str,
    start: usize,
    end: usize,
    text: &'a str,
}

/// Renders findings as JSON lines.
pub fn to_json_lines(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let line = Line {
                kind: f.kind.as_str(),
                start: f.start,
                end: f.end,
                text: &f.text,
            };
            // A struct of strings and numbers always serialises.
            serde_json::to_string(&line).unwrap_or_default() + "\n"
        })
        .collect()
}

pub fn read_input(path: Option<&str>) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    match path {
        None | Some("-") => {
            std::io::stdin().read_to_end(&mut bytes)?;
        }
        Some(path) => {
            bytes = std::fs::read(path)?;
        }
    }
    String::from_utf8(bytes).map_err(|_| {
        std::io::Error::new(std::io::ErrorKind::InvalidData, "input is not UTF-8 text")
    })
}

pub fn run(path: Option<&str>) -> ExitCode {
    let text = match read_input(path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("phi-scan: {}: {error}", path.unwrap_or("standard input"));
            return ExitCode::from(2);
        }
    };
    let findings = scan(&text);
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_all(to_json_lines(&findings).as_bytes()) {
        eprintln!("phi-scan: writing output: {error}");
        return ExitCode::from(2);
    }
    if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
