//! What a learner's module pages read: the overview, a question of an attempt, the result.
//! One statement each (CTEs, with lists as JSON columns), so a page costs the caller's
//! session query and this one.
//!
//! How others answered is counted by the database, grouped by response (see
//! `feedback::ResponseCount`): a page never loads every answer to a question. The grouping is
//! written out in the two queries that show feedback, alike.

use super::*;
use crate::media::CaseImage;
use crate::quiz::feedback::ResponseCount;

/// A case's module as a learner sees it before starting. None when the case has no module or
/// `viewer` cannot read the case (`case_readable` decides, as everywhere).
pub struct OverviewRow {
    pub title: String,
    pub kind: crate::cases::Kind,
    pub standing: LearnerStanding,
    pub settings: QuizSettings,
    /// Questions an attempt starting now would get.
    pub question_count: i64,
    /// The viewer's attempts, newest first.
    pub attempts: Vec<AttemptSummary>,
}

pub async fn overview(
    pool: &PgPool,
    case_id: i64,
    viewer: i64,
) -> Result<Option<OverviewRow>, AppError> {
    let row = sqlx::query!(
        r#"
        select c.title, c.kind = 'lesson' as "is_lesson!",
               c.author_id = $2 as "is_author!",
               (c.status = 'published' and c.review_status <> 'pending') as "released!",
               z.pass_mark, z.feedback_mode as "feedback_mode: FeedbackMode", z.attempts_allowed,
               z.credit_amount::float8 as "credit_amount!",
               z.credit_type as "credit_type: CreditType", z.time_limit_minutes,
               (select count(*) from quiz_module_questions p
                where p.quiz_id = z.id and p.removed_at is null)
                   as "question_count!",
               coalesce((select jsonb_agg(to_jsonb(t) order by t.started_at desc, t.id desc) from (
                    select t.id, t.started_at, t.submitted_at, t.score, t.passed
                    from quiz_attempts t where t.quiz_id = z.id and t.user_id = $2) t),
                    '[]') as "attempts!: Json<Vec<AttemptSummary>>"
        from cases c join quizzes z on z.case_id = c.id
        where c.id = $1 and case_readable(c, $2)
        "#,
        case_id,
        viewer
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| OverviewRow {
        title: r.title,
        kind: if r.is_lesson {
            crate::cases::Kind::Lesson
        } else {
            crate::cases::Kind::Case
        },
        standing: LearnerStanding {
            is_author: r.is_author,
            released: r.released,
        },
        settings: QuizSettings {
            pass_mark: r.pass_mark,
            feedback_mode: r.feedback_mode,
            attempts_allowed: r.attempts_allowed,
            credit_amount: r.credit_amount,
            credit_type: r.credit_type,
            time_limit_minutes: r.time_limit_minutes,
        },
        question_count: r.question_count,
        attempts: r.attempts.0,
    }))
}

/// One question of an attempt with all its page shows.
pub struct AttemptQuestionRow {
    pub case_id: i64,
    pub title: String,
    pub deadline: Option<DateTime<Utc>>,
    pub submitted: bool,
    pub feedback_mode: FeedbackMode,
    /// Questions offered to the attempt, and how many it has answered.
    pub total: i64,
    pub answered: i64,
    pub question: StoredQuestion,
    /// The attempt's answer to it: (response, fraction).
    pub given: Option<(Response, f64)>,
    /// The case image the question names, if any (a hotspot's).
    pub image: Option<CaseImage>,
    /// How learners answered it in submitted attempts: read only once the attempt has answered
    /// it and feedback is due (after each question, or once submitted), as `AttemptQuestion`
    /// shows it.
    pub counts: Option<Vec<ResponseCount>>,
}

/// Question `number` (from 1) of `user_id`'s attempt, among the questions fixed when it
/// started (`quiz_attempt_questions`). None when the attempt is not theirs (as
/// `guard::owns_attempt` rules) or has no such question.
pub async fn attempt_question(
    pool: &PgPool,
    attempt_id: i64,
    user_id: i64,
    number: i64,
) -> Result<Option<AttemptQuestionRow>, AppError> {
    let row = sqlx::query!(
        r#"
        with attempt as (
            select a.id, a.quiz_id, z.case_id, c.title, a.started_at, a.deadline, a.submitted_at,
                   z.feedback_mode
            from quiz_attempts a
            join quizzes z on z.id = a.quiz_id
            join cases c on c.id = z.case_id
            where a.id = $1 and a.user_id = $2
        ), offered as (
            select q.id, q.question, q.retired_at, n.number::bigint as number
            from attempt a
            join quiz_attempt_questions n on n.attempt_id = a.id
            join quiz_questions q on q.id = n.question_id
        )
        select a.case_id as "case_id!", a.title as "title!",
               a.deadline as "deadline: DateTime<Utc>",
               a.submitted_at is not null as "submitted!",
               a.feedback_mode as "feedback_mode!: FeedbackMode",
               (select count(*) from offered) as "total!",
               (select count(*) from quiz_answers x where x.attempt_id = a.id) as "answered!",
               s.id as "question_id!", s.question as "question!: Json<Question>",
               s.retired_at as "retired_at: DateTime<Utc>",
               g.response as "response?: Json<Response>", g.fraction as "fraction?",
               (select to_jsonb(i) from (
                    select i.id, i.case_id, i.alt_text, i.caption, i.width, i.height, i.annotations
                    from case_images i
                    where i.case_id = a.case_id and i.id = (s.question ->> 'image_id')::bigint) i)
                   as "image: Json<CaseImage>",
               -- The running tallies of submitted answers (quiz_response_tallies); a
               -- hotspot's response is json null there.
               case when g.response is not null
                         and (a.feedback_mode = 'each' or a.submitted_at is not null) then
               coalesce((select jsonb_agg(jsonb_build_object(
                            'response', nullif(n.response, 'null'::jsonb),
                            'full_credit', n.full_credit, 'answers', n.answers,
                            'learners', n.learners))
                    from quiz_response_tallies n where n.question_id = s.id),
                    '[]') end as "counts: Json<Vec<ResponseCount>>"
        from attempt a
        join offered s on s.number = $3
        left join quiz_answers g on g.attempt_id = a.id and g.question_id = s.id
        "#,
        attempt_id,
        user_id,
        number,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| AttemptQuestionRow {
        case_id: r.case_id,
        title: r.title,
        deadline: r.deadline,
        submitted: r.submitted,
        feedback_mode: r.feedback_mode,
        total: r.total,
        answered: r.answered,
        question: StoredQuestion {
            id: r.question_id,
            question: r.question.0,
            retired_at: r.retired_at,
        },
        given: r.response.map(|response| response.0).zip(r.fraction),
        image: r.image.map(|i| i.0),
        counts: r.counts.map(|c| c.0),
    }))
}

/// A question of a submitted attempt with its answer and how learners answered it.
#[derive(Debug, serde::Deserialize)]
pub struct ReviewedQuestion {
    pub question: Question,
    pub response: Option<Response>,
    pub fraction: Option<f64>,
    /// Given with an answer.
    pub counts: Option<Vec<ResponseCount>>,
}

/// An attempt's result with all its page shows.
pub struct AttemptResultRow {
    pub case_id: i64,
    pub title: String,
    /// None while the attempt is open.
    pub score: Option<f64>,
    pub passed: Option<bool>,
    pub settings: QuizSettings,
    /// The learner's attempts at the module, this one included.
    pub attempts_used: i64,
    pub evaluated: bool,
    /// The certificate of the module's credit, once issued (and not revoked).
    pub certificate_id: Option<String>,
    /// The questions offered to the attempt, in order (read once it is submitted).
    pub questions: Vec<ReviewedQuestion>,
}

/// The result of `user_id`'s attempt. None when the attempt is not theirs (as
/// `guard::owns_attempt` rules).
pub async fn attempt_result(
    pool: &PgPool,
    attempt_id: i64,
    user_id: i64,
) -> Result<Option<AttemptResultRow>, AppError> {
    let row = sqlx::query!(
        r#"
        select z.case_id, c.title, a.score, a.passed,
               z.pass_mark, z.feedback_mode as "feedback_mode: FeedbackMode", z.attempts_allowed,
               z.credit_amount::float8 as "credit_amount!",
               z.credit_type as "credit_type: CreditType", z.time_limit_minutes,
               (select count(*) from quiz_attempts u
                where u.quiz_id = a.quiz_id and u.user_id = a.user_id) as "attempts_used!",
               exists (select 1 from activity_evaluations e where e.attempt_id = a.id)
                   as "evaluated!",
               -- The ledger names a module's award 'module:<quiz id>' (cme::db::evaluate_and_award).
               (select k.id from certificates k join cme_ledger l on l.id = k.ledger_id
                where l.user_id = a.user_id and l.activity_ref = 'module:' || a.quiz_id
                  and k.revoked_at is null) as "certificate_id?",
               coalesce((select jsonb_agg(jsonb_build_object(
                            'question', q.question, 'response', g.response,
                            'fraction', g.fraction, 'counts',
               -- As in `attempt_question`: the running tallies.
               case when g.response is not null then
               coalesce((select jsonb_agg(jsonb_build_object(
                            'response', nullif(n.response, 'null'::jsonb),
                            'full_credit', n.full_credit, 'answers', n.answers,
                            'learners', n.learners))
                    from quiz_response_tallies n where n.question_id = q.id),
                    '[]') end) order by s.number)
                    from quiz_attempt_questions s
                    join quiz_questions q on q.id = s.question_id
                    left join quiz_answers g on g.attempt_id = a.id and g.question_id = q.id
                    where s.attempt_id = a.id
                      and a.submitted_at is not null),
                    '[]') as "questions!: Json<Vec<ReviewedQuestion>>"
        from quiz_attempts a
        join quizzes z on z.id = a.quiz_id
        join cases c on c.id = z.case_id
        where a.id = $1 and a.user_id = $2
        "#,
        attempt_id,
        user_id,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| AttemptResultRow {
        case_id: r.case_id,
        title: r.title,
        score: r.score,
        passed: r.passed,
        settings: QuizSettings {
            pass_mark: r.pass_mark,
            feedback_mode: r.feedback_mode,
            attempts_allowed: r.attempts_allowed,
            credit_amount: r.credit_amount,
            credit_type: r.credit_type,
            time_limit_minutes: r.time_limit_minutes,
        },
        attempts_used: r.attempts_used,
        evaluated: r.evaluated,
        certificate_id: r.certificate_id,
        questions: r.questions.0,
    }))
}
