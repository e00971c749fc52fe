//! Case modules: authoring (GIFT import, settings, hotspot questions) and taking them
//! (starting, answering and submitting an attempt are plain form posts).

use std::fmt::Display;

use super::Fields;
use crate::common::{Client, Reply, TestApp};

/// A module's settings (`quiz-settings`), as text so a test can send any value. The default:
/// pass at 50 %, feedback at the end, unlimited attempts, 1 point, no time limit.
#[derive(Debug, Clone, Copy)]
pub struct QuizSettings<'a> {
    pub pass_mark: &'a str,
    /// `each` or `end`.
    pub feedback_mode: &'a str,
    pub attempts_allowed: &'a str,
    pub credit_amount: &'a str,
    pub credit_type: &'a str,
    pub time_limit_minutes: &'a str,
}

impl Default for QuizSettings<'_> {
    fn default() -> Self {
        Self {
            pass_mark: "50",
            feedback_mode: "end",
            attempts_allowed: "",
            credit_amount: "1",
            credit_type: "points",
            time_limit_minutes: "",
        }
    }
}

/// A hotspot question drawn on one of the case's images (`quiz-add-hotspot`).
#[derive(Debug, Clone, Copy)]
pub struct Hotspot<'a> {
    pub case_id: i64,
    pub image_id: i64,
    pub text: &'a str,
    pub explanation: &'a str,
    /// The regions as the editor's JSON.
    pub regions: &'a str,
}

impl TestApp {
    /// `quiz-editor` (`QuizEditorData`).
    pub async fn quiz_editor(&self, client: &mut Client, case_id: impl Display) -> Reply {
        self.send(
            client,
            "quiz-editor",
            Fields::new().with("case_id", case_id),
        )
        .await
    }

    /// `quiz-import`: adds GIFT questions; the skipped ones, explained (`Vec<String>`).
    pub async fn quiz_import(
        &self,
        client: &mut Client,
        case_id: impl Display,
        gift: &str,
    ) -> Reply {
        let fields = Fields::new().with("case_id", case_id).with("gift", gift);
        self.send(client, "quiz-import", fields).await
    }

    /// `quiz-settings`.
    pub async fn quiz_settings(
        &self,
        client: &mut Client,
        case_id: impl Display,
        settings: QuizSettings<'_>,
    ) -> Reply {
        let fields = Fields::new()
            .with("case_id", case_id)
            .with("pass_mark", settings.pass_mark)
            .with("feedback_mode", settings.feedback_mode)
            .with("attempts_allowed", settings.attempts_allowed)
            .with("credit_amount", settings.credit_amount)
            .with("credit_type", settings.credit_type)
            .with("time_limit_minutes", settings.time_limit_minutes);
        self.send(client, "quiz-settings", fields).await
    }

    /// `quiz-add-hotspot`.
    pub async fn add_hotspot(&self, client: &mut Client, question: Hotspot<'_>) -> Reply {
        let fields = Fields::new()
            .with("case_id", question.case_id)
            .with("image_id", question.image_id)
            .with("text", question.text)
            .with("explanation", question.explanation)
            .with("regions", question.regions);
        self.send(client, "quiz-add-hotspot", fields).await
    }

    /// `quiz-delete-question`.
    pub async fn delete_question(
        &self,
        client: &mut Client,
        case_id: impl Display,
        question_id: impl Display,
    ) -> Reply {
        self.case_question(client, "quiz-delete-question", case_id, question_id)
            .await
    }

    /// `quiz-move-question`: `direction` "up" or "down".
    pub async fn move_question(
        &self,
        client: &mut Client,
        case_id: impl Display,
        question_id: impl Display,
        direction: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("case_id", case_id)
            .with("question_id", question_id)
            .with("direction", direction);
        self.send(client, "quiz-move-question", fields).await
    }

    /// `quiz-duplicate-question`: answers the copy's id.
    pub async fn duplicate_question(
        &self,
        client: &mut Client,
        case_id: impl Display,
        question_id: impl Display,
    ) -> Reply {
        self.case_question(client, "quiz-duplicate-question", case_id, question_id)
            .await
    }

    /// `quiz-save-question`: the question form's fields (`kind`, `text`,
    /// `answers[0][text]`, …) for a new question (`question_id` None) or an edit.
    pub async fn save_question(
        &self,
        client: &mut Client,
        case_id: i64,
        question_id: Option<i64>,
        form: &[(&str, &str)],
    ) -> Reply {
        let case = case_id.to_string();
        let id = question_id.map(|q| q.to_string());
        let mut fields = vec![("case_id", case.as_str())];
        if let Some(id) = &id {
            fields.push(("question_id", id.as_str()));
        }
        fields.extend_from_slice(form);
        self.call(client, "quiz-save-question", &fields).await
    }

    /// `preview-question`: the question form's text and explanation rendered
    /// (`QuestionPreview`).
    pub async fn preview_question(
        &self,
        client: &mut Client,
        text: &str,
        explanation: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("text", text)
            .with("explanation", explanation);
        self.send(client, "preview-question", fields).await
    }

    /// `quiz-retire-question`.
    pub async fn retire_question(
        &self,
        client: &mut Client,
        case_id: impl Display,
        question_id: impl Display,
    ) -> Reply {
        self.case_question(client, "quiz-retire-question", case_id, question_id)
            .await
    }

    /// `quiz`: the module as a learner sees it before starting (`QuizOverview`).
    pub async fn quiz(&self, client: &mut Client, case_id: impl Display) -> Reply {
        self.send(client, "quiz", Fields::new().with("case_id", case_id))
            .await
    }

    /// `attempt-question`: question `number` (from 1) of an attempt (`AttemptQuestion`).
    pub async fn attempt_question(
        &self,
        client: &mut Client,
        attempt_id: impl Display,
        number: usize,
    ) -> Reply {
        let fields = Fields::new()
            .with("attempt_id", attempt_id)
            .with("number", number);
        self.send(client, "attempt-question", fields).await
    }

    /// `attempt-result` as it answered, for a refusal (`attempt_result` reads a success).
    pub async fn attempt_result_reply(
        &self,
        client: &mut Client,
        attempt_id: impl Display,
    ) -> Reply {
        self.send(
            client,
            "attempt-result",
            Fields::new().with("attempt_id", attempt_id),
        )
        .await
    }

    /// `POST /quiz/{case}/start` as a script: `{"attempt_id": …}`.
    pub async fn start_quiz(&self, client: &mut Client, case_id: i64) -> Reply {
        self.post_fields(client, &format!("/quiz/{case_id}/start"), Fields::new())
            .await
    }

    /// `POST /quiz/{case}/start` as a browser without JavaScript: a redirect.
    pub async fn start_quiz_without_script(&self, client: &mut Client, case_id: i64) -> Reply {
        self.post_form(client, &format!("/quiz/{case_id}/start"), &[], false)
            .await
    }

    /// `POST /quiz/attempts/{attempt}/answer`: the answer to `question` (shown as number 1),
    /// given as the form's fields (`choice`, `text`, `spot.x`…; `choice` may repeat).
    pub async fn answer(
        &self,
        client: &mut Client,
        attempt_id: i64,
        question_id: i64,
        answer: &[(&str, &str)],
    ) -> Reply {
        let q = question_id.to_string();
        let mut form = vec![("question_id", q.as_str()), ("number", "1")];
        form.extend_from_slice(answer);
        self.post_form(
            client,
            &format!("/quiz/attempts/{attempt_id}/answer"),
            &form,
            true,
        )
        .await
    }

    /// `POST /quiz/attempts/{attempt}/submit`: `{"score": …, "passed": …}`.
    pub async fn submit_attempt(&self, client: &mut Client, attempt_id: i64) -> Reply {
        self.post_fields(
            client,
            &format!("/quiz/attempts/{attempt_id}/submit"),
            Fields::new(),
        )
        .await
    }
}

/// A module's questions as files, and a question file imported into it.
impl TestApp {
    /// `GET /cases/{id}/quiz/export.{xml|gift}`, as a browser downloads it.
    pub async fn quiz_export(&self, client: &mut Client, case_id: i64, format: &str) -> Reply {
        self.get(client, &format!("/cases/{case_id}/quiz/export.{format}"))
            .await
    }

    /// `POST /cases/{id}/quiz/import`: the editor's file form (multipart, field `file`). With
    /// `json`, asks for JSON (`{"imported", "skipped"}`) as a script would; without, behaves
    /// like a browser without JavaScript.
    pub async fn quiz_import_file(
        &self,
        client: &mut Client,
        case_id: i64,
        filename: &str,
        bytes: &[u8],
        json: bool,
    ) -> Reply {
        use axum::body::Body;
        use axum::http::{header, Request};
        let boundary = "quiz-file-boundary-4c1x";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/xml\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut req = Request::post(format!("/cases/{case_id}/quiz/import"))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::ORIGIN, &self.public_url);
        if json {
            req = req.header(header::ACCEPT, "application/json");
        }
        if let Some(cookie) = &client.cookie {
            req = req.header(header::COOKIE, cookie);
        }
        self.request(client, req.body(Body::from(body)).unwrap())
            .await
    }

    /// `quiz-bank`: the caller's question bank (`BankPage`), searched by `fields`
    /// (`filter[text]`, `filter[tag]`, `filter[objective]`, `filter[kind]`, `before`, `module`).
    pub async fn bank(&self, client: &mut Client, fields: &[(&str, &str)]) -> Reply {
        self.call(client, "quiz-bank", fields).await
    }

    /// `quiz-bank-tags`: a question's tags, comma-separated.
    pub async fn bank_tags(
        &self,
        client: &mut Client,
        question_id: impl Display,
        tags: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("question_id", question_id)
            .with("tags", tags);
        self.send(client, "quiz-bank-tags", fields).await
    }

    /// `quiz-bank-add`: a bank question into the module of case `case_id`.
    pub async fn bank_add(
        &self,
        client: &mut Client,
        case_id: impl Display,
        question_id: impl Display,
    ) -> Reply {
        self.case_question(client, "quiz-bank-add", case_id, question_id)
            .await
    }

    /// `quiz-bank-delete`: a bank question no module has held.
    pub async fn bank_delete(&self, client: &mut Client, question_id: impl Display) -> Reply {
        self.send(
            client,
            "quiz-bank-delete",
            Fields::new().with("question_id", question_id),
        )
        .await
    }

    /// A server function taking a case and one of its module's questions.
    async fn case_question(
        &self,
        client: &mut Client,
        endpoint: &str,
        case_id: impl Display,
        question_id: impl Display,
    ) -> Reply {
        let fields = Fields::new()
            .with("case_id", case_id)
            .with("question_id", question_id);
        self.send(client, endpoint, fields).await
    }
}
