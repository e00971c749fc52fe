//! Per-institution and per-department settings: extra record-number labels for the privacy
//! guard, and whether a department reviews its cases before readers see them.

use crate::admin::{DepartmentSettings, InstitutionSettings};
use crate::error::AppError;
use sqlx::PgPool;

/// Institutions with their labels and departments. `only_department` limits the answer to the
/// institution and department of a department admin.
pub async fn settings(
    pool: &PgPool,
    only_department: Option<i64>,
) -> Result<Vec<InstitutionSettings>, AppError> {
    let rows = sqlx::query!(
        r#"
        select i.id as institution_id, i.name as institution, d.id as department_id,
               d.name as department, d.peer_review,
               array(select l.label from institution_record_labels l
                     where l.institution_id = i.id order by l.label) as "labels!"
        from institutions i join departments d on d.institution_id = i.id
        where $1::bigint is null or d.id = $1
        order by i.name, d.name
        "#,
        only_department
    )
    .fetch_all(pool)
    .await?;
    let mut out: Vec<InstitutionSettings> = Vec::new();
    for r in rows {
        let department = DepartmentSettings {
            id: r.department_id,
            name: r.department,
            peer_review: r.peer_review,
        };
        match out.last_mut() {
            Some(last) if last.id == r.institution_id => last.departments.push(department),
            _ => out.push(InstitutionSettings {
                id: r.institution_id,
                name: r.institution,
                labels: r.labels,
                departments: vec![department],
            }),
        }
    }
    Ok(out)
}

/// Adds a record-number label; adding one twice is harmless.
pub async fn add_label(
    pool: &PgPool,
    institution_id: i64,
    label: &str,
    by: i64,
) -> Result<bool, AppError> {
    let exists = sqlx::query_scalar!(
        r#"select exists(select 1 from institutions where id = $1) as "e!""#,
        institution_id
    )
    .fetch_one(pool)
    .await?;
    if !exists {
        return Ok(false);
    }
    sqlx::query!(
        r#"
        insert into institution_record_labels (institution_id, label, created_by)
        values ($1, $2, $3) on conflict do nothing
        "#,
        institution_id,
        label,
        by
    )
    .execute(pool)
    .await?;
    Ok(true)
}

pub async fn remove_label(pool: &PgPool, institution_id: i64, label: &str) -> Result<(), AppError> {
    sqlx::query!(
        "delete from institution_record_labels where institution_id = $1 and label = $2",
        institution_id,
        label
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The extra labels of the institution a case was written in.
pub async fn labels_for_case(pool: &PgPool, case_id: i64) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        select l.label from institution_record_labels l
        join cases c on c.institution_id = l.institution_id
        where c.id = $1 order by l.label
        "#,
        case_id
    )
    .fetch_all(pool)
    .await?)
}

/// The extra labels of a user's institution (for the editor's preview of a new case).
pub async fn labels_for_user(pool: &PgPool, user_id: i64) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        select l.label from institution_record_labels l
        join departments d on d.institution_id = l.institution_id
        join users u on u.department_id = d.id
        where u.id = $1 order by l.label
        "#,
        user_id
    )
    .fetch_all(pool)
    .await?)
}

/// Switches peer review for a department; false when there is no such department.
pub async fn set_peer_review(
    pool: &PgPool,
    department_id: i64,
    enabled: bool,
) -> Result<bool, AppError> {
    let done = sqlx::query!(
        "update departments set peer_review = $2 where id = $1",
        department_id,
        enabled
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
