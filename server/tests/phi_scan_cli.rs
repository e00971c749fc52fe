//! The `server phi-scan` command, run as an operator would run it.

mod cli;

fn phi_scan(args: &[&str], stdin: &str) -> (i32, String, String) {
    cli::run("phi-scan", args, stdin)
}

#[test]
fn findings_are_json_lines_and_exit_1() {
    let text = "Seen with W/o Suresh. Mobile +91 98765 43210, UHID: 2024/001234.";
    let (code, stdout, _) = phi_scan(&[], text);
    assert_eq!(code, 1);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["relational_name", "phone", "record_number"]);
    for line in &lines {
        let (start, end) = (
            line["start"].as_u64().unwrap() as usize,
            line["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], line["text"].as_str().unwrap());
    }
}

#[test]
fn clean_text_exits_0_and_prints_nothing() {
    let (code, stdout, _) = phi_scan(
        &["-"],
        "BP 120/80, Hb 11.2 g/dL, aspirin 75 mg, seen in 2021.",
    );
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn reads_a_file_and_reports_errors_with_2() {
    let dir = std::env::temp_dir().join(format!("phi-scan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("case.md");
    std::fs::write(&file, "e-mail: ramesh.k@gmail.com").unwrap();
    let (code, stdout, _) = phi_scan(&[file.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(stdout.contains("\"kind\":\"email\""), "{stdout}");

    let (code, _, stderr) = phi_scan(&[dir.join("missing.md").to_str().unwrap()], "");
    assert_eq!(code, 2);
    assert!(stderr.contains("missing.md"));
    std::fs::remove_dir_all(dir).ok();
}
