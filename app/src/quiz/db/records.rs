//! What learners submitted, who may take a module, what a department may assign.

use super::*;

/// Where a learner stands with the module of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LearnerStanding {
    /// The learner wrote the case.
    pub is_author: bool,
    /// Published and, where the department reviews cases, approved: readers see it.
    pub released: bool,
}

/// How `viewer` stands with case `case_id`'s module; None when they cannot read the case
/// (`case_readable` decides, as everywhere).
pub async fn learner_standing(
    pool: &PgPool,
    case_id: i64,
    viewer: i64,
) -> Result<Option<LearnerStanding>, AppError> {
    Ok(sqlx::query_as!(
        LearnerStanding,
        r#"
        select c.author_id = $2 as "is_author!",
               (c.status = 'published' and c.review_status <> 'pending') as "released!"
        from cases c
        where c.id = $1 and case_readable(c, $2)
        "#,
        case_id,
        viewer
    )
    .fetch_optional(pool)
    .await?)
}

/// How many modules the dashboard's assignment form offers: the newest modules (walked from
/// the newest, so the cost does not grow with the site), so a picker stays a picker however
/// many modules the site holds.
pub const ASSIGNABLE_SHOWN: i64 = 200;

/// The newest [`ASSIGNABLE_SHOWN`] modules a department admin may assign: released, with
/// questions, and readable by the admin (a member of the department, so what the department
/// reads). (case id, title).
pub async fn assignable_modules(
    pool: &PgPool,
    admin_id: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query!(
        r#"
        select c.id, c.title from quizzes q join cases c on c.id = q.case_id
        where c.status = 'published' and c.review_status <> 'pending'
          and case_readable(c, $1)
          and exists (select 1 from quiz_module_questions x
                      where x.quiz_id = q.id and x.removed_at is null)
        order by q.id desc
        limit $2
        "#,
        admin_id,
        ASSIGNABLE_SHOWN
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.id, r.title))
    .collect())
}

/// The module of case `case_id`, when the department admin `admin_id` may assign it (the
/// same rule as `assignable_modules`).
pub async fn assignable_quiz(
    pool: &PgPool,
    case_id: i64,
    admin_id: i64,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        select q.id from quizzes q join cases c on c.id = q.case_id
        where c.id = $1 and c.status = 'published' and c.review_status <> 'pending'
          and case_readable(c, $2)
          and exists (select 1 from quiz_module_questions x
                      where x.quiz_id = q.id and x.removed_at is null)
        "#,
        case_id,
        admin_id
    )
    .fetch_optional(pool)
    .await?)
}

/// For item analysis: each submitted attempt's score with its answers' fractions and responses.
pub async fn submitted_answers(
    pool: &PgPool,
    quiz_id: i64,
) -> Result<Vec<(i64, f64, i64, Response, f64)>, AppError> {
    let rows = sqlx::query!(
        r#"
        select a.id as attempt_id, a.score as "score!", x.question_id,
               x.response as "response: Json<Response>", x.fraction
        from quiz_attempts a join quiz_answers x on x.attempt_id = a.id
        where a.quiz_id = $1 and a.submitted_at is not null
        "#,
        quiz_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.attempt_id,
                r.score,
                r.question_id,
                r.response.0,
                r.fraction,
            )
        })
        .collect())
}
