//! The `server moodle-check` command, run as an operator would run it.

mod cli;

fn moodle_check(args: &[&str], stdin: &str) -> (i32, Vec<serde_json::Value>, String) {
    let (code, stdout, stderr) = cli::run("moodle-check", args, stdin);
    (code, cli::json_lines(&stdout), stderr)
}

const CLEAN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/Surgery</text></category>
  </question>
  <question type="multichoice">
    <name><text>Q1</text></name>
    <questiontext format="html"><text><![CDATA[<p>2+2?</p>]]></text></questiontext>
    <single>true</single>
    <answer fraction="100"><text>4</text><feedback><text>yes</text></feedback></answer>
    <answer fraction="0"><text>5</text><feedback><text>no</text></feedback></answer>
    <tags><tag><text>arithmetic</text></tag></tags>
  </question>
  <question type="multichoice">
    <name><text>Q2</text></name>
    <questiontext><text>Drugs</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>a</text></answer>
    <answer fraction="50"><text>b</text></answer>
    <answer fraction="-100"><text>c</text></answer>
  </question>
  <question type="matching">
    <name><text>Q3</text></name>
    <questiontext><text>Match</text></questiontext>
  </question>
</quiz>
"#;

#[test]
fn a_clean_file_prints_one_object_per_question_and_exits_0() {
    let file = std::env::temp_dir().join(format!("corridor-moodle-{}.xml", std::process::id()));
    std::fs::write(&file, CLEAN).unwrap();
    let (code, lines, _) = moodle_check(&[file.to_str().unwrap()], "");
    std::fs::remove_file(&file).ok();
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 3, "the category is not a question: {lines:?}");
    assert_eq!(lines[0]["line"], 6);
    assert_eq!(lines[0]["name"], "Q1");
    assert_eq!(lines[0]["type"], "single");
    assert_eq!(lines[0]["text"], "2+2?");
    assert_eq!(lines[0]["answers"][0]["text"], "4");
    assert_eq!(lines[0]["answers"][0]["weight"], 100.0);
    assert_eq!(lines[0]["answers"][1]["feedback"], "no");
    assert_eq!(lines[0]["tags"][0], "arithmetic");
    assert_eq!(lines[1]["type"], "multiple");
    assert_eq!(lines[1]["answers"][2]["weight"], -100.0);
    assert_eq!(lines[2]["type"], "matching");
    assert_eq!(lines[2]["name"], "Q3");
    assert!(lines[2]["skipped"]
        .as_str()
        .unwrap()
        .contains("not supported"));
}

#[test]
fn errors_carry_line_numbers_and_exit_1() {
    let bad = "<quiz>\n<question type=\"shortanswer\">\n<questiontext><text>ok</text></questiontext>\n<answer fraction=\"100\"><text>yes</text></answer>\n</question>\n<question type=\"shortanswer\">\n<questiontext><text>bad</text></questiontext>\n<answer fraction=\"oops\"><text>x</text></answer>\n</question>\n</quiz>\n";
    let (code, lines, _) = moodle_check(&["-"], bad);
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["type"], "short_answer");
    assert_eq!(lines[1]["line"], 8);
    assert!(lines[1]["error"].as_str().unwrap().contains("oops"));

    // Malformed XML: one error, at the line where it stops being XML.
    let (code, lines, _) = moodle_check(&["-"], "<quiz>\n<question type=\"essay\">\n</quiz>\n");
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["line"], 3);
    assert!(lines[0]["error"]
        .as_str()
        .unwrap()
        .contains("not well formed"));
}

#[test]
fn an_unreadable_file_exits_2() {
    let (code, lines, stderr) = moodle_check(&["/nonexistent/questions.xml"], "");
    assert_eq!(code, 2);
    assert!(lines.is_empty());
    assert!(stderr.contains("/nonexistent/questions.xml"));
    let (code, _, stderr) = moodle_check(&[], "");
    assert_eq!(code, 2);
    assert!(stderr.contains("usage"));
}
