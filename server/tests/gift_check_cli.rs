//! The `server gift-check` command, run as an operator would run it.

mod cli;

fn gift_check(args: &[&str], stdin: &str) -> (i32, Vec<serde_json::Value>, String) {
    let (code, stdout, stderr) = cli::run("gift-check", args, stdin);
    (code, cli::json_lines(&stdout), stderr)
}

#[test]
fn a_clean_file_prints_one_object_per_question_and_exits_0() {
    let file = std::env::temp_dir().join(format!("corridor-gift-{}.txt", std::process::id()));
    std::fs::write(
        &file,
        "// comment\n::Q1:: [markdown]2+2? {=4#yes ~5#no}\n\n::Q2:: Drugs {~%50%a ~%50%b ~%-100%c}\n\n::Q3:: Essay {}\n",
    )
    .unwrap();
    let (code, lines, _) = gift_check(&[file.to_str().unwrap()], "");
    std::fs::remove_file(&file).ok();
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["line"], 2);
    assert_eq!(lines[0]["name"], "Q1");
    assert_eq!(lines[0]["type"], "single");
    assert_eq!(lines[0]["answers"][0]["text"], "4");
    assert_eq!(lines[0]["answers"][0]["weight"], 100.0);
    assert_eq!(lines[0]["answers"][1]["feedback"], "no");
    assert_eq!(lines[1]["type"], "multiple");
    assert_eq!(lines[1]["answers"][2]["weight"], -100.0);
    assert_eq!(lines[2]["type"], "essay");
    assert!(lines[2]["skipped"]
        .as_str()
        .unwrap()
        .contains("not supported"));
}

#[test]
fn errors_carry_line_numbers_and_exit_1() {
    let (code, lines, _) = gift_check(&["-"], "::ok:: fine {=a ~b}\n\n::bad:: broken {=a ~b\n");
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["type"], "single");
    assert_eq!(lines[1]["line"], 3);
    assert!(lines[1]["error"].as_str().unwrap().contains("never closed"));
}

#[test]
fn an_unreadable_file_exits_2() {
    let (code, lines, stderr) = gift_check(&["/nonexistent/quiz.gift"], "");
    assert_eq!(code, 2);
    assert!(lines.is_empty());
    assert!(stderr.contains("/nonexistent/quiz.gift"));
}
