use super::*;

fn case<'a>(title: &'a str, body: &'a str, visibility: &'a str) -> CaseInput<'a> {
    CaseInput {
        title,
        specialty: "general-surgery",
        summary: "s",
        body,
        sections: CaseSections::default(),
        tags: "",
        visibility,
        specialty_known: true,
        has_department: true,
        kind: Kind::Case,
        related: "",
    }
}

#[test]
fn case_title_rules() {
    let err = NewCase::parse(case("", "b", "all")).unwrap_err();
    assert!(err.field_errors().unwrap().get("title").is_some());
    let long = "t".repeat(TITLE_MAX + 1);
    let err = NewCase::parse(case(&long, "b", "all")).unwrap_err();
    let message = err.field_errors().unwrap().get("title").unwrap().to_owned();
    assert!(message.contains("151"), "{message}");
    assert!(NewCase::parse(case("Acute abdomen", "b", "all")).is_ok());
}

#[test]
fn case_needs_known_specialty_and_keeps_the_body() {
    let err = NewCase::parse(CaseInput {
        specialty_known: false,
        ..case("T", "my long body", "all")
    })
    .unwrap_err();
    let fields = err.field_errors().unwrap();
    assert!(fields.get("specialty").is_some());
    assert_eq!(fields.value("body"), Some("my long body"));
}

#[test]
fn sections_compose_in_order_and_skip_empty_ones() {
    let sections = CaseSections {
        examination: "Pallor.".into(),
        presentation: "Fever for 3 days.".into(),
        notes: "Ask about travel.".into(),
        ..CaseSections::default()
    };
    assert_eq!(
        sections.compose(),
        "## Presentation\n\nFever for 3 days.\n\n## Examination\n\nPallor.\n\n## Notes\n\nAsk about travel."
    );
    assert_eq!(
        CaseSections {
            notes: " Only notes ".into(),
            ..CaseSections::default()
        }
        .compose(),
        "Only notes"
    );
    let parsed = NewCase::parse(CaseInput {
        sections: CaseSections {
            outcome: "Recovered.".into(),
            ..CaseSections::default()
        },
        ..case("T", "", "all")
    })
    .unwrap();
    assert_eq!(parsed.body, "## Outcome\n\nRecovered.");
    let err = NewCase::parse(case("T", "  ", "all")).unwrap_err();
    assert!(err.field_errors().unwrap().get("body").is_some());
}

#[test]
fn tags_are_normalised() {
    assert_eq!(
        parse_tags("Jaundice, pancreas  ca; #ERCP, jaundice").unwrap(),
        ["jaundice", "pancreas-ca", "ercp"]
    );
    assert!(parse_tags("a,b,c,d,e,f,g,h,i").is_err());
    assert!(parse_tags("bad/tag").is_err());
    assert_eq!(parse_tags("  ").unwrap(), Vec::<String>::new());
}

#[test]
fn visibility_choices() {
    assert_eq!(
        NewCase::parse(case("T", "b", "")).unwrap().visibility,
        Visibility::All
    );
    assert_eq!(
        NewCase::parse(case("T", "b", "department"))
            .unwrap()
            .visibility,
        Visibility::Department
    );
    let err = NewCase::parse(case("T", "b", "everyone")).unwrap_err();
    assert!(err.field_errors().unwrap().get("visibility").is_some());
    let err = NewCase::parse(CaseInput {
        has_department: false,
        kind: Kind::Case,
        related: "",
        ..case("T", "b", "institution")
    })
    .unwrap_err();
    let message = err
        .field_errors()
        .unwrap()
        .get("visibility")
        .unwrap()
        .to_owned();
    assert!(message.contains("no department"), "{message}");
}
