//! One guard per rule: who may write, whose case and attempt it is, who may take a module for
//! credit, who manages a department, and the privacy guard every publication passes through.
//! Server functions and plain handlers call these after `AuthUser` says who is calling.

use crate::accounts::{Role, SessionUser};
use crate::error::AppError;
use crate::privacy::PrivacyFinding;
use sqlx::PgPool;

/// Mentors and site admins write cases and modules.
pub fn can_author(user: &SessionUser) -> Result<(), AppError> {
    if user.role.can_author() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Checks that `user_id` wrote case `id`, as its author or a co-author; returns whether the
/// case is published. A missing case is "not found", someone else's is "forbidden".
pub async fn owns_case(pool: &PgPool, id: i64, user_id: i64) -> Result<bool, AppError> {
    match crate::cases::writer_of(pool, id, user_id).await? {
        None => Err(AppError::NotFound),
        Some((false, _)) => Err(AppError::Forbidden),
        Some((true, published)) => Ok(published),
    }
}

/// `can_author` and `owns_case` in one, for the endpoints that change an existing case: its
/// writers pass whatever their role. Writing new cases is for mentors, but a case made from a
/// consult is co-written by both doctors, and the asking one is often a resident. Anyone else
/// is refused as before: "forbidden" for a role that writes nothing, then as `owns_case`.
pub async fn writes_case(pool: &PgPool, id: i64, user: &SessionUser) -> Result<bool, AppError> {
    match crate::cases::writer_of(pool, id, user.id).await? {
        Some((true, published)) => Ok(published),
        _ if !user.role.can_author() => Err(AppError::Forbidden),
        None => Err(AppError::NotFound),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// Checks that `user_id` may take the module of case `case_id` and earn its credit: the case
/// is readable to them (else "not found", as for the case itself), released to readers, and
/// not their own. Starting, answering, submitting and evaluating all ask again, so a case
/// unpublished or restricted mid-attempt stops earning at once.
pub async fn learner_of_case(pool: &PgPool, case_id: i64, user_id: i64) -> Result<(), AppError> {
    learner_by_standing(crate::quiz::learner_standing(pool, case_id, user_id).await?)
}

/// `learner_of_case` for a page that read the learner's standing with its own data (None:
/// they cannot read the case).
pub fn learner_by_standing(standing: Option<crate::quiz::LearnerStanding>) -> Result<(), AppError> {
    match standing {
        None => Err(AppError::NotFound),
        Some(s) if s.is_author => Err(AppError::not_allowed(
            "You cannot earn credit from your own module. Ask a colleague to try it instead.",
        )),
        Some(s) if !s.released => Err(AppError::not_allowed(
            "This module's case is not published to readers yet, so it cannot be taken for credit.",
        )),
        Some(_) => Ok(()),
    }
}

/// Findings of the privacy scanner in a case's texts, minus those the author overrode.
pub async fn open_findings(
    pool: &PgPool,
    case_id: i64,
    title: &str,
    summary: &str,
    body: &str,
) -> Result<Vec<PrivacyFinding>, AppError> {
    let overrides = crate::cases::privacy_overrides(pool, case_id).await?;
    let labels = crate::admin::labels_for_case(pool, case_id).await?;
    let images = crate::media::annotation_texts(pool, case_id).await?;
    Ok(PrivacyFinding::scan_fields_with(
        &[
            ("title", title),
            ("summary", summary),
            ("body", body),
            ("images", &images),
        ],
        &labels,
    )
    .into_iter()
    .filter(|f| !overridden(&overrides, f))
    .collect())
}

/// Whether the author accepted this finding (same kind, same text) as not identifying.
fn overridden(overrides: &[(String, String)], finding: &PrivacyFinding) -> bool {
    overrides
        .iter()
        .any(|(kind, text)| kind == finding.kind.as_str() && *text == finding.text)
}

/// Refuses publication while findings remain in the texts about to be published (the case's
/// texts and the labels, notes and captions of its images), or while a case with images, or a
/// case made from a consult, has no consent record. A consult's consent covers a colleague's
/// opinion, not teaching: a case from a consult needs its own, images or not.
pub async fn check_publishable(
    pool: &PgPool,
    case_id: i64,
    title: &str,
    summary: &str,
    body: &str,
) -> Result<(), AppError> {
    let findings = open_findings(pool, case_id, title, summary, body).await?;
    if findings.is_empty() {
        if crate::media::consent(pool, case_id).await?.is_none()
            && crate::consults::case_from_consult(pool, case_id).await?
        {
            tracing::info!(
                case_id,
                "publication blocked: consult case without teaching consent"
            );
            return Err(AppError::TeachingConsentRequired { case_id });
        }
        if crate::media::count_for_case(pool, case_id).await? > 0
            && crate::media::consent(pool, case_id).await?.is_none()
        {
            tracing::info!(case_id, "publication blocked: images without consent");
            return Err(AppError::ConsentRequired { case_id });
        }
        Ok(())
    } else {
        tracing::info!(
            case_id,
            findings = findings.len(),
            "publication blocked by the privacy guard"
        );
        Err(AppError::PrivacyBlocked { case_id, findings })
    }
}

/// The learner's own attempt; anyone else's is "not found" (attempts are private).
pub async fn owns_attempt(
    pool: &PgPool,
    attempt_id: i64,
    user: &SessionUser,
) -> Result<crate::quiz::AttemptRow, AppError> {
    match crate::quiz::attempt(pool, attempt_id).await? {
        Some(attempt) if attempt.user_id == user.id => Ok(attempt),
        _ => Err(AppError::NotFound),
    }
}

/// Whether `user` may manage the members of `department`: a site admin for every department,
/// a department admin for their own (verified) department only.
/// Someone in no department is managed by site admins only.
pub fn admin_of_department(
    user: &SessionUser,
    department: impl Into<Option<i64>>,
) -> Result<(), AppError> {
    let department = department.into();
    match user.role {
        Role::SiteAdmin => Ok(()),
        Role::DepartmentAdmin if department.is_some() && user.department_id == department => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// The department a department admin runs; anyone else (or an admin whose department is not
/// verified) is refused.
pub fn department_admin(user: &SessionUser) -> Result<i64, AppError> {
    match (user.role, user.department_id) {
        (Role::DepartmentAdmin, Some(department)) => Ok(department),
        _ => Err(AppError::Forbidden),
    }
}

/// What an admin oversees: every department for a site admin (`None`), their own for a
/// department admin.
pub fn overseen_department(user: &SessionUser) -> Result<Option<i64>, AppError> {
    match user.role {
        Role::SiteAdmin => Ok(None),
        _ => department_admin(user).map(Some),
    }
}

/// Texts added to a case that readers already see (an image's alt text and caption, the
/// labels and notes of its annotations) reach them at once, so they pass the privacy guard
/// first: `fields` are (field, text) pairs, checked against the case's institution's record
/// labels and the author's overrides. Drafts are checked when they are published.
pub async fn check_published_additions(
    pool: &PgPool,
    case_id: i64,
    fields: &[(&str, &str)],
) -> Result<(), AppError> {
    let overrides = crate::cases::privacy_overrides(pool, case_id).await?;
    let labels = crate::admin::labels_for_case(pool, case_id).await?;
    let findings: Vec<PrivacyFinding> = PrivacyFinding::scan_fields_with(fields, &labels)
        .into_iter()
        .filter(|f| !overridden(&overrides, f))
        .collect();
    if findings.is_empty() {
        Ok(())
    } else {
        tracing::info!(
            case_id,
            findings = findings.len(),
            "addition to a published case blocked by the privacy guard"
        );
        Err(AppError::PrivacyBlocked { case_id, findings })
    }
}
