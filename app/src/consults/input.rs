//! What people type into a consult, checked: the request (a draft may be partial; a submission
//! may not), the consent record, the structured answer, messages and the close-out. Every
//! problem is reported beside its field, and what was typed comes back to refill the form.

use crate::consults::{AgeBand, ConsentMethod, Outcome, Referral, Sex, Urgency};
use crate::error::{AppError, FieldErrors};
use crate::util::chars;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The request's text fields, as stored: (form field, maximum characters).
pub const TEXT_FIELDS: [(&str, usize); 9] = [
    ("question", 500),
    ("situation", 2000),
    ("background", 4000),
    ("assessment", 4000),
    ("ask", 2000),
    ("findings", 4000),
    ("investigations", 4000),
    ("medicines", 2000),
    ("tried", 2000),
];

/// The de-identified request in SBAR order, with the patient's age band and sex.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultText {
    pub specialty: String,
    pub urgency: Urgency,
    /// One or two sentences: what exactly is asked.
    pub question: String,
    pub situation: String,
    pub background: String,
    pub assessment: String,
    pub ask: String,
    pub age_band: Option<AgeBand>,
    pub sex: Option<Sex>,
    pub findings: String,
    pub investigations: String,
    pub medicines: String,
    pub tried: String,
}

impl ConsultText {
    pub fn get(&self, field: &str) -> &str {
        match field {
            "question" => &self.question,
            "situation" => &self.situation,
            "background" => &self.background,
            "assessment" => &self.assessment,
            "ask" => &self.ask,
            "findings" => &self.findings,
            "investigations" => &self.investigations,
            "medicines" => &self.medicines,
            "tried" => &self.tried,
            _ => "",
        }
    }

    /// (field, text) pairs for the privacy guard.
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        TEXT_FIELDS
            .iter()
            .map(|(field, _)| (*field, self.get(field)))
            .collect()
    }

    /// Checks lengths and closed sets; `complete` (for sending) also requires the question,
    /// the situation, what is asked, the age band and the sex.
    pub fn check(&self, specialty_known: bool, complete: bool) -> Result<(), AppError> {
        let mut errors = FieldErrors::new();
        if !specialty_known {
            errors.add("specialty", "Choose the specialty you are asking.");
        }
        for (field, max) in TEXT_FIELDS {
            if chars(self.get(field)) > max {
                errors.add(field, format!("Keep this to {max} characters."));
            }
        }
        if complete {
            if self.question.trim().is_empty() {
                errors.add(
                    "question",
                    "Write the question in one or two sentences: what do you want to know?",
                );
            }
            if self.situation.trim().is_empty() {
                errors.add("situation", "Say in a sentence what is happening now.");
            }
            if self.ask.trim().is_empty() {
                errors.add(
                    "ask",
                    "Say what you ask of your colleague (advice, a plan, whether to refer).",
                );
            }
            if self.age_band.is_none() {
                errors.add("age_band", "Choose the patient's age band.");
            }
            if self.sex.is_none() {
                errors.add("sex", "Choose the patient's sex (or 'not stated').");
            }
        }
        let values: Vec<(&str, &str)> = self
            .fields()
            .into_iter()
            .chain([("specialty", self.specialty.as_str())])
            .collect();
        errors.with_values(&values).into_result()
    }
}

/// Who a new consult goes to: one colleague by name, or a department's pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recipient {
    Named(i64),
    Pool(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewConsult {
    pub to: Recipient,
    pub text: ConsultText,
}

/// Reads the recipient as the form sends it: exactly one of a colleague's id or a pool's id.
pub fn parse_recipient(responder: Option<&str>, pool: Option<&str>) -> Result<Recipient, AppError> {
    let id = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::parse);
    match (id(responder), id(pool)) {
        (Some(Ok(user)), None) => Ok(Recipient::Named(user)),
        (None, Some(Ok(pool))) => Ok(Recipient::Pool(pool)),
        _ => Err(AppError::field(
            "to",
            "Send the consult either to one colleague or to one specialty pool.",
        )),
    }
}

/// The consent to a colleague's opinion, as recorded with the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub method: ConsentMethod,
    pub obtained_on: NaiveDate,
}

impl ConsentRecord {
    /// `obtained` is the form's "the patient agreed" box; `today` bounds the date.
    pub fn parse(
        obtained: Option<&str>,
        method: Option<&str>,
        date: Option<&str>,
        today: NaiveDate,
    ) -> Result<ConsentRecord, AppError> {
        let mut errors = FieldErrors::new();
        if !matches!(obtained.map(str::trim), Some("yes" | "on" | "true")) {
            errors.add(
                "consent",
                "Record the patient's consent to a colleague's opinion first: without it the \
                 consult cannot be sent.",
            );
        }
        let method = method.map(str::trim).and_then(ConsentMethod::parse);
        if method.is_none() {
            errors.add("consent_method", "Say how consent was obtained.");
        }
        let date = date
            .map(str::trim)
            .and_then(|d| d.parse::<NaiveDate>().ok());
        match date {
            None => errors.add("consent_date", "Give the date consent was obtained."),
            Some(d) if d > today => errors.add("consent_date", "The date cannot be in the future."),
            Some(_) => {}
        }
        errors.into_result()?;
        Ok(ConsentRecord {
            method: method.expect("checked above"),
            obtained_on: date.expect("checked above"),
        })
    }
}

/// The responder's structured answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub impression: String,
    pub recommendations: String,
    pub red_flags: String,
    pub referral: Referral,
    pub investigations: String,
    pub citations: String,
    pub free_text: String,
}

impl Answer {
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        impression: &str,
        recommendations: &str,
        red_flags: &str,
        referral: &str,
        investigations: &str,
        citations: &str,
        free_text: &str,
    ) -> Result<Answer, AppError> {
        let mut errors = FieldErrors::new();
        let texts = [
            ("impression", impression, 4000),
            ("recommendations", recommendations, 4000),
            ("red_flags", red_flags, 2000),
            ("investigations", investigations, 2000),
            ("citations", citations, 2000),
            ("free_text", free_text, 8000),
        ];
        for (field, text, max) in texts {
            if chars(text) > max {
                errors.add(field, format!("Keep this to {max} characters."));
            }
        }
        if impression.trim().is_empty() {
            errors.add("impression", "Give your impression.");
        }
        if recommendations.trim().is_empty() {
            errors.add("recommendations", "Say what you recommend.");
        }
        let referral = Referral::parse(referral.trim());
        if referral.is_none() {
            errors.add("referral", "Say whether you advise a referral.");
        }
        let values: Vec<(&str, &str)> = texts.iter().map(|(f, t, _)| (*f, *t)).collect();
        errors.with_values(&values).into_result()?;
        Ok(Answer {
            impression: impression.trim().to_owned(),
            recommendations: recommendations.trim().to_owned(),
            red_flags: red_flags.trim().to_owned(),
            referral: referral.expect("checked above"),
            investigations: investigations.trim().to_owned(),
            citations: citations.trim().to_owned(),
            free_text: free_text.trim().to_owned(),
        })
    }

    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("impression", &self.impression),
            ("recommendations", &self.recommendations),
            ("red_flags", &self.red_flags),
            ("investigations", &self.investigations),
            ("citations", &self.citations),
            ("free_text", &self.free_text),
        ]
    }
}

/// A message (request for information, reply, follow-up question or answer): required, short.
pub fn parse_message(body: &str) -> Result<String, AppError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::field("body", "Write your message."));
    }
    if chars(body) > 4000 {
        return Err(AppError::Invalid(
            {
                let mut e = FieldErrors::new();
                e.add("body", "Keep this to 4000 characters.");
                e
            }
            .with_values(&[("body", body)]),
        ));
    }
    Ok(body.to_owned())
}

/// The requester's close-out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closeout {
    pub useful: i16,
    pub educational: i16,
    pub outcome: Outcome,
    pub note: String,
}

impl Closeout {
    pub fn parse(
        useful: &str,
        educational: &str,
        outcome: &str,
        note: &str,
    ) -> Result<Closeout, AppError> {
        let mut errors = FieldErrors::new();
        let rating = |v: &str| v.trim().parse::<i16>().ok().filter(|r| (1..=5).contains(r));
        let (useful, educational) = (rating(useful), rating(educational));
        if useful.is_none() {
            errors.add("useful", "Rate how useful the answer was, from 1 to 5.");
        }
        if educational.is_none() {
            errors.add("educational", "Rate what you learnt from it, from 1 to 5.");
        }
        let outcome = Outcome::parse(outcome.trim());
        if outcome.is_none() {
            errors.add("outcome", "Say what happened to the referral.");
        }
        if chars(note) > 2000 {
            errors.add("note", "Keep the note to 2000 characters.");
        }
        errors.with_values(&[("note", note)]).into_result()?;
        Ok(Closeout {
            useful: useful.expect("checked above"),
            educational: educational.expect("checked above"),
            outcome: outcome.expect("checked above"),
            note: note.trim().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn no_consent_no_record() {
        let err =
            ConsentRecord::parse(None, Some("verbal"), Some("2026-11-25"), today()).unwrap_err();
        assert!(err.field_errors().unwrap().get("consent").is_some());
        let err = ConsentRecord::parse(
            Some("yes"),
            Some("smoke signals"),
            Some("2027-01-01"),
            today(),
        )
        .unwrap_err();
        let fields = err.field_errors().unwrap();
        assert!(fields.get("consent_method").is_some());
        assert!(fields.get("consent_date").is_some());
        let ok = ConsentRecord::parse(Some("yes"), Some("written"), Some("2026-11-25"), today())
            .unwrap();
        assert_eq!(ok.method, ConsentMethod::Written);
    }

    #[test]
    fn a_draft_may_be_partial_a_submission_may_not() {
        let text = ConsultText {
            specialty: "cardiology".into(),
            question: "Is this ECG an inferior STEMI?".into(),
            ..ConsultText::default()
        };
        assert!(text.check(true, false).is_ok());
        let err = text.check(true, true).unwrap_err();
        let fields = err.field_errors().unwrap();
        for field in ["situation", "ask", "age_band", "sex"] {
            assert!(fields.get(field).is_some(), "{field}");
        }
        assert!(fields.get("question").is_none());
        assert_eq!(
            fields.value("question"),
            Some("Is this ECG an inferior STEMI?")
        );
        assert!(text.check(false, false).is_err());
    }

    #[test]
    fn recipients_are_one_or_the_other() {
        assert_eq!(
            parse_recipient(Some("4"), None).unwrap(),
            Recipient::Named(4)
        );
        assert_eq!(
            parse_recipient(Some(""), Some("9")).unwrap(),
            Recipient::Pool(9)
        );
        assert!(parse_recipient(Some("4"), Some("9")).is_err());
        assert!(parse_recipient(None, None).is_err());
        assert!(parse_recipient(Some("x"), None).is_err());
    }

    #[test]
    fn answers_and_closeouts_are_checked() {
        let err = Answer::parse("", "", "", "maybe", "", "", "").unwrap_err();
        let fields = err.field_errors().unwrap();
        for field in ["impression", "recommendations", "referral"] {
            assert!(fields.get(field).is_some(), "{field}");
        }
        let a =
            Answer::parse(" Early repolarisation ", "Repeat ECG", "", "no", "", "", "").unwrap();
        assert_eq!(a.impression, "Early repolarisation");
        assert_eq!(a.referral, Referral::No);
        assert!(Closeout::parse("0", "6", "referral_avoided", "").is_err());
        let c = Closeout::parse("5", "4", "referral_avoided", " fine ").unwrap();
        assert_eq!((c.useful, c.educational, c.note.as_str()), (5, 4, "fine"));
        assert!(parse_message("   ").is_err());
    }
}
