//! What every integration test shares: the in-process server (`app`), one typed helper per
//! endpoint the tests call (`endpoints`), and the setup that several tests need (`fixtures`).
#![allow(dead_code)]

mod app;
pub mod endpoints;
pub mod fixtures;
pub mod statements;

pub use self::app::{token_in, Client, RefusedForm, Reply, TestApp};
pub use self::endpoints::{
    AnswerForm, CaseForm, CmeProfileForm, Consent, ConsultConsent, ConsultForm, Evaluation,
    Hotspot, QuizSettings, Registration, SearchForm, To,
};

/// A PDF's text layer as poppler's `pdftotext` reads it (installed by the test command), with
/// runs of white space made single spaces.
pub fn pdf_text(bytes: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!(
        "corridor-test-{}-{}.pdf",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::write(&path, bytes).expect("temporary file");
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by .ci/test");
    std::fs::remove_file(&path).ok();
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
