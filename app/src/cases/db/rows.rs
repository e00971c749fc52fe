//! Row types shared by the case queries.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Deserialize)]
#[sqlx(type_name = "case_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum StatusRow {
    Draft,
    Published,
}

impl From<StatusRow> for CaseStatus {
    fn from(s: StatusRow) -> Self {
        match s {
            StatusRow::Draft => CaseStatus::Draft,
            StatusRow::Published => CaseStatus::Published,
        }
    }
}

/// A row of the case-summary queries below; every list query selects these columns (the home
/// page reads them as JSON, hence `Deserialize`).
#[derive(Debug, serde::Deserialize)]
pub(super) struct SummaryRow {
    pub(super) id: i64,
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) specialty: String,
    pub(super) author_id: i64,
    pub(super) author_name: String,
    pub(super) status: StatusRow,
    pub(super) published_at: Option<DateTime<Utc>>,
    pub(super) updated_at: DateTime<Utc>,
    pub(super) kind: KindRow,
    pub(super) reading_minutes: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Deserialize)]
#[sqlx(type_name = "content_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum KindRow {
    Case,
    Lesson,
}

impl From<KindRow> for Kind {
    fn from(k: KindRow) -> Self {
        match k {
            KindRow::Case => Kind::Case,
            KindRow::Lesson => Kind::Lesson,
        }
    }
}

impl From<Kind> for KindRow {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Case => KindRow::Case,
            Kind::Lesson => KindRow::Lesson,
        }
    }
}

impl From<SummaryRow> for CaseSummary {
    fn from(r: SummaryRow) -> Self {
        CaseSummary {
            id: r.id,
            title: r.title,
            summary: r.summary,
            specialty: r.specialty,
            author_id: r.author_id,
            author_name: r.author_name,
            status: r.status.into(),
            published_at: r.published_at,
            updated_at: r.updated_at,
            kind: r.kind.into(),
            reading_minutes: r.reading_minutes,
        }
    }
}
