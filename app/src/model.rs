//! Types shared by the server and the browser, and the validation of what people type.
//! Nothing here carries a secret: the password hash never leaves `ssr::db`.

use crate::error::{AppError, FieldErrors};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "user_role", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    Mentor,
    DepartmentAdmin,
    SiteAdmin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Resident,
        Role::Mentor,
        Role::DepartmentAdmin,
        Role::SiteAdmin,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Role::Resident => "Resident",
            Role::Mentor => "Mentor",
            Role::DepartmentAdmin => "Department admin",
            Role::SiteAdmin => "Site admin",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Mentor => "mentor",
            Role::DepartmentAdmin => "department_admin",
            Role::SiteAdmin => "site_admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// Who may write and publish case sketches.
    pub fn can_author(self) -> bool {
        matches!(self, Role::Mentor | Role::SiteAdmin)
    }
}

/// The signed-in person as the UI needs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub full_name: String,
    pub role: Role,
    /// Unread notifications, for the badge in the header.
    pub unread: i64,
    /// Whether the person has followed the link mailed to their address.
    pub email_verified: bool,
    /// The verified department, if any (a request waiting for approval does not count).
    pub department_id: Option<i64>,
    /// A department the person asked to join, waiting for verification or approval.
    pub requested_department: Option<String>,
}

/// How people join an institution's departments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "join_policy", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum JoinPolicy {
    /// An address at one of the institution's domains joins after verifying it; others wait
    /// for approval.
    Domain,
    /// Every request waits for the department admin.
    Approval,
}

impl JoinPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            JoinPolicy::Domain => "domain",
            JoinPolicy::Approval => "approval",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "domain" => Some(JoinPolicy::Domain),
            "approval" => Some(JoinPolicy::Approval),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            JoinPolicy::Domain => {
                "Addresses at these domains join after verifying; others need approval"
            }
            JoinPolicy::Approval => "Every request needs the department admin's approval",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionDomains {
    pub id: i64,
    pub name: String,
    pub join_policy: JoinPolicy,
    pub domains: Vec<String>,
}

/// A request to join a department, as its admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipRequest {
    pub user_id: i64,
    pub full_name: String,
    pub email: String,
    pub designation: Option<String>,
    pub medical_council: Option<String>,
    pub registration_number: Option<String>,
    pub department_id: i64,
    pub department: String,
    pub requested_at: Option<DateTime<Utc>>,
}

/// A member of a department, as its admin sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub designation: Option<String>,
    pub medical_council: Option<String>,
    pub registration_number: Option<String>,
    pub registration_verified_at: Option<DateTime<Utc>>,
    pub deactivated_at: Option<DateTime<Utc>>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub action: String,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub subject_user_id: Option<i64>,
    pub subject_name: Option<String>,
    pub department_id: Option<i64>,
    pub target: Option<String>,
    pub detail: Option<String>,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

/// A normalised e-mail domain (`sahyadri.edu.in`), or `None` when it is not one.
pub fn parse_domain(raw: &str) -> Option<String> {
    let domain = raw.trim().trim_start_matches('@').to_ascii_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    let valid = domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    valid.then_some(domain)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub author_name: String,
    /// Empty when the comment is hidden.
    pub body_html: String,
    pub is_answer: bool,
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
}

/// The discussion under a case, and what the viewer may do in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discussion {
    pub comments: Vec<Comment>,
    pub can_moderate: bool,
    pub can_mark_answer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub case_id: i64,
    pub case_title: String,
    pub actor_name: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// A user as anyone signed in may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicUser {
    pub id: i64,
    pub full_name: String,
    pub designation: Option<String>,
    pub specialty: Option<String>,
    pub department: Option<String>,
    pub institution: Option<String>,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// Choices offered by the registration and case forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormChoices {
    pub departments: Vec<Choice>,
    pub specialties: Vec<Choice>,
    pub councils: Vec<Choice>,
}

/// Who may read a published case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "case_visibility", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Department,
    Institution,
    #[default]
    All,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [
        Visibility::All,
        Visibility::Institution,
        Visibility::Department,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Department => "department",
            Visibility::Institution => "institution",
            Visibility::All => "all",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Visibility::Department => "My department",
            Visibility::Institution => "My institution",
            Visibility::All => "All signed-in clinicians",
        }
    }

    pub fn parse(value: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.as_str() == value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Draft,
    Published,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub specialty: String,
    pub author_id: i64,
    pub author_name: String,
    pub status: CaseStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub kind: Kind,
    /// Estimated at 200 words a minute when the text is saved.
    pub reading_minutes: i32,
}

impl CaseSummary {
    /// Cases live under /cases, lessons under /lessons.
    pub fn url(&self) -> String {
        self.kind.url(self.id)
    }
}

/// A case sketch or a micro-lesson: both are written, guarded, revised and read alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Kind {
    #[default]
    Case,
    Lesson,
}

impl Kind {
    pub fn url(self, id: i64) -> String {
        match self {
            Kind::Case => format!("/cases/{id}"),
            Kind::Lesson => format!("/lessons/{id}"),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Case => "Case",
            Kind::Lesson => "Micro-lesson",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Case => "case",
            Kind::Lesson => "lesson",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "case" => Some(Kind::Case),
            "lesson" => Some(Kind::Lesson),
            _ => None,
        }
    }
}

/// Minutes to read `text` at 200 words a minute, at least one.
pub fn reading_minutes(text: &str) -> i32 {
    let words = text.split_whitespace().count();
    (words.div_ceil(200)).max(1) as i32
}

/// An image on a case, with its annotations. Its renditions are served by
/// `/media/images/{id}/display` and `/media/images/{id}/thumb` to readers of the case only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseImage {
    pub id: i64,
    pub case_id: i64,
    pub alt_text: String,
    pub caption: String,
    pub width: i32,
    pub height: i32,
    pub annotations: Vec<crate::annotations::Annotation>,
}

impl CaseImage {
    pub fn display_url(&self) -> String {
        format!("/media/images/{}/display", self.id)
    }
    pub fn thumb_url(&self) -> String {
        format!("/media/images/{}/thumb", self.id)
    }
}

/// The record that the patient consented to their images being used for teaching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub form_reference: String,
    pub consent_date: chrono::NaiveDate,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A case's images page (upload, consent, links to the annotation editor), for its author.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseMedia {
    pub case_id: i64,
    pub title: String,
    pub published: bool,
    pub images: Vec<CaseImage>,
    pub consent: Option<Consent>,
    pub max_upload_mb: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub summary: CaseSummary,
    pub specialty_slug: String,
    pub body_md: String,
    /// Sanitised HTML, rendered once when the case was saved.
    pub body_html: String,
    pub author_designation: Option<String>,
    pub visibility: Visibility,
    pub sections: CaseSections,
    pub tags: Vec<String>,
    pub is_author: bool,
    /// Published versions, newest first; only filled in for the author.
    pub revisions: Vec<CaseRevision>,
    pub images: Vec<CaseImage>,
    pub consent: Option<Consent>,
    pub review: Review,
    /// For a lesson: the cases it points to that the reader may read.
    pub related: Vec<CaseSummary>,
    /// For a lesson: the ids of its related cases as the author entered them.
    pub related_ids: Vec<i64>,
    /// Whether a case module (quiz) is attached.
    pub has_quiz: bool,
}

/// Where a case stands in its department's peer review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// Published, but readers see it only after another mentor approves it.
    pub pending: bool,
    /// The reader is a mentor of the case's department who may approve it.
    pub can_approve: bool,
    pub approved_by: Option<String>,
}

/// One published version of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRevision {
    pub revision: i32,
    pub title: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePage {
    pub items: Vec<CaseSummary>,
    pub page: i64,
    pub has_next: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorProfile {
    pub mentor: PublicUser,
    pub cases: Vec<CaseSummary>,
    pub followers: i64,
    pub is_following: bool,
    pub is_self: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub following: Vec<PublicUser>,
    pub specialties: Vec<Choice>,
    pub feed: FeedPage,
    pub drafts: Vec<CaseSummary>,
    /// Cases of the reader's department waiting for their peer review.
    pub reviews: Vec<CaseSummary>,
    /// Modules the reader's department assigned to them, due first.
    pub assignments: Vec<crate::api::department::AssignmentRow>,
    pub suggested: Vec<PublicUser>,
}

/// A page of the home feed. `next` is an opaque cursor for the following (older) page: keyset
/// pagination, so new cases published meanwhile neither repeat nor skip items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedPage {
    pub items: Vec<CaseSummary>,
    pub next: Option<String>,
}

/// A feed position: the publication time (microseconds) and id of the last case shown.
pub fn feed_cursor(published_at: DateTime<Utc>, id: i64) -> String {
    format!("{}.{id}", published_at.timestamp_micros())
}

pub fn parse_feed_cursor(cursor: &str) -> Option<(DateTime<Utc>, i64)> {
    let (micros, id) = cursor.split_once('.')?;
    let at = DateTime::<Utc>::from_timestamp_micros(micros.parse().ok()?)?;
    Some((at, id.parse().ok()?))
}

/// A specialty's page: whether the viewer follows it, and its newest cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialtyPage {
    pub slug: String,
    pub name: String,
    pub following: bool,
    pub followers: i64,
}

/// A CME certificate, as the verification page and the PDF show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub id: String,
    pub recipient_name: String,
    pub registration_number: Option<String>,
    /// Whether the department had verified the registration number when this was issued.
    pub registration_verified: bool,
    pub activity: String,
    pub amount: f64,
    pub credit_type: String,
    pub issued_on: chrono::NaiveDate,
    pub issuer: String,
    pub revoked: bool,
    pub revoked_reason: Option<String>,
}

/// One line of a clinician's credit ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub id: i64,
    pub activity: String,
    pub amount: f64,
    pub credit_type: String,
    pub online: bool,
    pub earned_on: chrono::NaiveDate,
    pub source: String,
    pub certificate_id: Option<String>,
    pub reverses: Option<i64>,
    pub reason: Option<String>,
}

/// An external CME claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub id: i64,
    pub claimant: String,
    pub title: String,
    pub organiser: String,
    pub held_on: chrono::NaiveDate,
    pub accreditation_number: String,
    pub amount: f64,
    pub credit_type: String,
    pub online: bool,
    pub status: String,
    pub decision_reason: Option<String>,
    pub has_file: bool,
}

/// A clinician's CME page: their profile and cycle, progress, ledger and claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CmeOverview {
    pub profiles: Vec<(i64, String)>,
    pub profile_id: Option<i64>,
    pub cycle_start: Option<chrono::NaiveDate>,
    pub progress: Option<crate::cme::Progress>,
    pub ledger: Vec<LedgerEntry>,
    pub claims: Vec<Claim>,
}

/// Explains an institution's own record-number labels on the settings page.
pub const RECORD_LABELS_HINT: &str = "Besides UHID, MRN, MR No, IPD, IP No, OPD No, OP No, CR No \
    and Reg No, the privacy guard treats these labels followed by a number as a hospital record \
    number in cases written at this institution.";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionSettings {
    pub id: i64,
    pub name: String,
    /// Record-number labels of this institution, besides the common ones.
    pub labels: Vec<String>,
    pub departments: Vec<DepartmentSettings>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentSettings {
    pub id: i64,
    pub name: String,
    pub peer_review: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUser {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub department: Option<String>,
}

/// A possible patient identifier in one field of a case, with some text around it so the author
/// can find it on a phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyFinding {
    pub field: String,
    pub kind: crate::privacy::FindingKind,
    pub text: String,
    pub before: String,
    pub after: String,
}

impl PrivacyFinding {
    /// Scans the fields of a case; `fields` are (name, text) pairs.
    pub fn scan_fields(fields: &[(&str, &str)]) -> Vec<PrivacyFinding> {
        Self::scan_fields_with(fields, &[])
    }

    /// As [`PrivacyFinding::scan_fields`], also treating an institution's own record-number
    /// labels as identifiers.
    pub fn scan_fields_with(fields: &[(&str, &str)], labels: &[String]) -> Vec<PrivacyFinding> {
        const CONTEXT: usize = 32;
        let mut out = Vec::new();
        for (field, text) in fields {
            for f in crate::privacy::scan_with(text, labels) {
                let before_start = floor_char_boundary(text, f.start.saturating_sub(CONTEXT));
                let after_end = ceil_char_boundary(text, (f.end + CONTEXT).min(text.len()));
                out.push(PrivacyFinding {
                    field: (*field).to_owned(),
                    kind: f.kind,
                    text: f.text,
                    before: text[before_start..f.start].to_owned(),
                    after: text[f.end..after_end].to_owned(),
                });
            }
        }
        out
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// What the editor's preview shows: the rendered body and anything the privacy guard found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub html: String,
    pub findings: Vec<PrivacyFinding>,
}

/// One search result: the case, and a snippet of the matching text in pieces, `true` where
/// the piece matched (rendered as `<mark>`; the text itself is never treated as HTML).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub case: CaseSummary,
    pub snippet: Vec<(String, bool)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub page: i64,
    pub has_next: bool,
    pub specialties: Vec<Choice>,
    pub mentors: Vec<Choice>,
}

/// Splits text marked with \u{1}…\u{2} (as the database's headline function is asked to mark
/// matches) into plain and matched pieces.
pub fn split_marked(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (i, part) in text.split('\u{1}').enumerate() {
        if i == 0 {
            if !part.is_empty() {
                out.push((part.to_owned(), false));
            }
            continue;
        }
        let (hit, rest) = part.split_once('\u{2}').unwrap_or((part, ""));
        if !hit.is_empty() {
            out.push((hit.to_owned(), true));
        }
        if !rest.is_empty() {
            out.push((rest.to_owned(), false));
        }
    }
    out
}

/// Percent-encodes a value for a URL query. Slashes stay readable (`next=/cases/3`), which the
/// query component allows.
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// "1 comment", "3 comments".
pub fn count_label(n: i64, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

pub const TITLE_MAX: usize = 150;
pub const SUMMARY_MAX: usize = 300;
pub const BODY_MAX: usize = 50_000;
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;
pub const CASES_PER_PAGE: i64 = 10;
/// The last page a list will show: beyond it every list is empty, and offsets cannot overflow.
pub const MAX_PAGE: i64 = 10_000;

/// A page number from a URL, bounded to `1..=MAX_PAGE` (a page past the end is simply empty).
pub fn clamp_page(page: i64) -> i64 {
    page.clamp(1, MAX_PAGE)
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A case sketch as submitted by its author, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub title: String,
    pub specialty: String,
    pub summary: String,
    /// The composed case: each filled section under its heading, then the notes.
    pub body: String,
    pub visibility: Visibility,
    pub sections: CaseSections,
    pub tags: Vec<String>,
    pub kind: Kind,
    /// For a lesson: cases it points to (at most [`MAX_RELATED`]).
    pub related_case_ids: Vec<i64>,
    pub reading_minutes: i32,
}

pub const MAX_RELATED: usize = 5;
/// A micro-lesson reads in 3–5 minutes; past this many it is a chapter, not a lesson.
pub const LESSON_MAX_MINUTES: i32 = 8;

/// Related cases as typed: ids or case links ("12, /cases/15, https://…/cases/7").
pub fn parse_related(raw: &str) -> Result<Vec<i64>, String> {
    let mut ids = Vec::new();
    for part in raw.split([',', ';', ' ', '\n']) {
        let part = part.trim().trim_end_matches('/');
        if part.is_empty() {
            continue;
        }
        let tail = part.rsplit('/').next().unwrap_or(part);
        match tail.parse::<i64>() {
            Ok(id) if id > 0 => {
                if !ids.contains(&id) {
                    ids.push(id)
                }
            }
            _ => return Err(format!("“{part}” is not a case number or case link.")),
        }
    }
    if ids.len() > MAX_RELATED {
        return Err(format!("Link at most {MAX_RELATED} related cases."));
    }
    Ok(ids)
}

/// The teaching sections of a case, in reading order: (field name, heading).
pub const SECTIONS: [(&str, &str); 7] = [
    ("presentation", "Presentation"),
    ("history", "History"),
    ("examination", "Examination"),
    ("investigations", "Investigations"),
    ("management", "Management"),
    ("outcome", "Outcome"),
    ("teaching_points", "Teaching points"),
];

pub const MAX_TAGS: usize = 8;

/// The Markdown of each section (empty when left out) and free notes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSections {
    pub presentation: String,
    pub history: String,
    pub examination: String,
    pub investigations: String,
    pub management: String,
    pub outcome: String,
    pub teaching_points: String,
    pub notes: String,
}

impl CaseSections {
    pub fn get(&self, key: &str) -> &str {
        match key {
            "presentation" => &self.presentation,
            "history" => &self.history,
            "examination" => &self.examination,
            "investigations" => &self.investigations,
            "management" => &self.management,
            "outcome" => &self.outcome,
            "teaching_points" => &self.teaching_points,
            _ => &self.notes,
        }
    }

    /// Sections under their headings, empty ones left out, then the notes (under "Notes"
    /// when sections precede them).
    pub fn compose(&self) -> String {
        let mut out = String::new();
        for (key, heading) in SECTIONS {
            let text = self.get(key).trim();
            if !text.is_empty() {
                out.push_str(&format!("## {heading}\n\n{text}\n\n"));
            }
        }
        let notes = self.notes.trim();
        if !notes.is_empty() {
            if !out.is_empty() {
                out.push_str("## Notes\n\n");
            }
            out.push_str(notes);
            out.push('\n');
        }
        out.trim_end().to_owned()
    }
}

/// Tags as typed ("Jaundice, pancreas  ca") into lower-case, hyphenated, de-duplicated tags.
pub fn parse_tags(raw: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for part in raw.split([',', ';', '#']) {
        let tag = part
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-")
            .to_lowercase();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > 30 || !tag.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Err(format!(
                "“{tag}” is not a tag: use letters, numbers and hyphens, at most 30."
            ));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(format!("Use at most {MAX_TAGS} tags."));
    }
    Ok(tags)
}

/// What an author typed into the case editor, before validation.
pub struct CaseInput<'a> {
    pub title: &'a str,
    pub specialty: &'a str,
    pub summary: &'a str,
    /// Free notes (the whole case, for a case written without sections).
    pub body: &'a str,
    pub sections: CaseSections,
    pub tags: &'a str,
    pub visibility: &'a str,
    /// Whether the chosen specialty exists.
    pub specialty_known: bool,
    /// Whether the author belongs to a department (needed to limit who reads the case).
    pub has_department: bool,
    pub kind: Kind,
    /// A lesson's related cases, as typed.
    pub related: &'a str,
}

impl NewCase {
    /// Checks what the author typed; every problem is reported at once, next to its field.
    pub fn parse(input: CaseInput<'_>) -> Result<NewCase, AppError> {
        let CaseInput {
            title,
            specialty,
            summary,
            body: notes,
            sections,
            tags,
            visibility,
            specialty_known,
            has_department,
            kind,
            related,
        } = input;
        // A lesson is one text: the notes. Section fields are for cases only.
        let sections = match kind {
            Kind::Case => CaseSections {
                notes: notes.to_owned(),
                ..sections
            },
            Kind::Lesson => CaseSections {
                notes: notes.to_owned(),
                ..CaseSections::default()
            },
        };
        let composed = sections.compose();
        let body = composed.as_str();
        let (title, summary, specialty) = (title.trim(), summary.trim(), specialty.trim());
        let mut errors = FieldErrors::new();
        let visibility = match Visibility::parse(visibility.trim()) {
            Some(Visibility::All) => Visibility::All,
            Some(limited) if has_department => limited,
            Some(_) => {
                errors.add(
                    "visibility",
                    "Your profile has no department, so the case can only be shared with all signed-in clinicians.",
                );
                Visibility::All
            }
            None if visibility.trim().is_empty() => Visibility::All,
            None => {
                errors.add("visibility", "Choose who may read this case.");
                Visibility::All
            }
        };
        if title.is_empty() {
            errors.add("title", "Give the case a title.");
        } else if chars(title) > TITLE_MAX {
            errors.add(
                "title",
                format!(
                    "Keep the title to {TITLE_MAX} characters (it has {}).",
                    chars(title)
                ),
            );
        }
        if specialty.is_empty() || !specialty_known {
            errors.add("specialty", "Choose the specialty this case belongs to.");
        }
        if summary.is_empty() {
            errors.add(
                "summary",
                "Write a one- or two-line summary for the case list.",
            );
        } else if chars(summary) > SUMMARY_MAX {
            errors.add(
                "summary",
                format!(
                    "Keep the summary to {SUMMARY_MAX} characters (it has {}).",
                    chars(summary)
                ),
            );
        }
        let parsed_tags = match parse_tags(tags) {
            Ok(tags) => tags,
            Err(message) => {
                errors.add("tags", message);
                Vec::new()
            }
        };
        let minutes = reading_minutes(body);
        let related_case_ids = match (kind, parse_related(related)) {
            (Kind::Case, _) => Vec::new(),
            (Kind::Lesson, Ok(ids)) => ids,
            (Kind::Lesson, Err(message)) => {
                errors.add("related", message);
                Vec::new()
            }
        };
        if body.trim().is_empty() {
            errors.add(
                "body",
                match kind {
                    Kind::Case => "Write at least one section, or notes.",
                    Kind::Lesson => "Write the lesson.",
                },
            );
        } else if kind == Kind::Lesson && minutes > LESSON_MAX_MINUTES {
            errors.add(
                "body",
                format!(
                    "A micro-lesson reads in 3–5 minutes; this one takes about {minutes}. \
                     Shorten it, split it in two, or write it as a case."
                ),
            );
        } else if chars(body) > BODY_MAX {
            errors.add(
                "body",
                format!("The body is too long: at most {BODY_MAX} characters."),
            );
        }
        if !errors.is_empty() {
            let mut values = vec![
                ("title", title),
                ("specialty", specialty),
                ("summary", summary),
                ("body", notes),
                ("tags", tags),
                ("visibility", visibility.as_str()),
                ("related", related),
            ];
            values.extend(SECTIONS.iter().map(|(key, _)| (*key, sections.get(key))));
            return Err(AppError::Invalid(errors.with_values(&values)));
        }
        Ok(NewCase {
            title: title.to_owned(),
            specialty: specialty.to_owned(),
            summary: summary.to_owned(),
            body: composed.clone(),
            visibility,
            sections,
            tags: parsed_tags,
            kind,
            related_case_ids,
            reading_minutes: minutes,
        })
    }
}

/// A registration form, validated. The password is checked here and hashed by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub password: String,
    pub full_name: String,
    pub designation: Option<String>,
    pub specialty: Option<String>,
    pub department_id: Option<i64>,
    pub medical_council: Option<String>,
    pub registration_number: Option<String>,
}

fn optional(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// A deliberately plain e-mail check: one `@`, something before it, a dotted domain after it,
/// no spaces. Whether the address really exists is a question for a confirmation mail.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && email.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

/// What is wrong with a new password, if anything.
pub fn password_problem(password: &str) -> Option<String> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        Some(format!(
            "Use at least {PASSWORD_MIN} characters for your password."
        ))
    } else if len > PASSWORD_MAX {
        Some(format!(
            "Use at most {PASSWORD_MAX} characters for your password."
        ))
    } else {
        None
    }
}

/// A new password's check as a form error beside the `password` field.
pub fn check_password(password: &str) -> Result<(), AppError> {
    match password_problem(password) {
        Some(message) => Err(AppError::field("password", message)),
        None => Ok(()),
    }
}

pub struct RegistrationInput<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub full_name: &'a str,
    pub designation: &'a str,
    pub specialty: &'a str,
    pub department_id: &'a str,
    pub medical_council: &'a str,
    pub registration_number: &'a str,
}

impl NewUser {
    pub fn parse(input: RegistrationInput<'_>) -> Result<NewUser, AppError> {
        let email = input.email.trim().to_lowercase();
        let full_name = input.full_name.trim();
        let mut errors = FieldErrors::new();
        if email.is_empty() {
            errors.add("email", "Enter your e-mail address.");
        } else if !is_plausible_email(&email) {
            errors.add(
                "email",
                "That does not look like an e-mail address (name@hospital.in).",
            );
        }
        if let Some(message) = password_problem(input.password) {
            errors.add("password", message);
        }
        if chars(full_name) < 2 {
            errors.add("full_name", "Enter your full name.");
        } else if chars(full_name) > 100 {
            errors.add("full_name", "Keep your name to 100 characters.");
        }
        if chars(input.designation.trim()) > 80 {
            errors.add("designation", "Keep the designation to 80 characters.");
        }
        let department_id = match input.department_id.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("department_id", "Choose your department from the list.");
                    None
                }
            },
        };
        let registration_number = optional(input.registration_number);
        if registration_number.as_deref().map(chars).unwrap_or(0) > 30 {
            errors.add(
                "registration_number",
                "A registration number has at most 30 characters.",
            );
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors.with_values(&[
                ("email", input.email),
                ("full_name", input.full_name),
                ("designation", input.designation),
                ("specialty", input.specialty),
                ("department_id", input.department_id),
                ("medical_council", input.medical_council),
                ("registration_number", input.registration_number),
            ])));
        }
        Ok(NewUser {
            email,
            password: input.password.to_owned(),
            full_name: full_name.to_owned(),
            designation: optional(input.designation),
            specialty: optional(input.specialty),
            department_id,
            medical_council: optional(input.medical_council),
            registration_number,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_normalised_or_refused() {
        assert_eq!(
            parse_domain(" @Sahyadri.EDU.in "),
            Some("sahyadri.edu.in".into())
        );
        assert_eq!(parse_domain("hospital"), None);
        assert_eq!(parse_domain("-bad.in"), None);
        assert_eq!(parse_domain("a..in"), None);
        assert_eq!(parse_domain("evil.in/x"), None);
    }

    #[test]
    fn pages_are_bounded() {
        assert_eq!(clamp_page(i64::MAX), MAX_PAGE);
        assert_eq!(clamp_page(-5), 1);
        assert_eq!(clamp_page(3), 3);
        assert!((clamp_page(i64::MAX) - 1)
            .checked_mul(CASES_PER_PAGE)
            .is_some());
    }

    fn input<'a>(email: &'a str, password: &'a str) -> RegistrationInput<'a> {
        RegistrationInput {
            email,
            password,
            full_name: "Dr Asha Rao",
            designation: "",
            specialty: "",
            department_id: "",
            medical_council: "",
            registration_number: "",
        }
    }

    #[test]
    fn marked_snippets_split_into_pieces() {
        assert_eq!(
            split_marked("a \u{1}fever\u{2} with \u{1}rash\u{2}."),
            vec![
                ("a ".to_owned(), false),
                ("fever".to_owned(), true),
                (" with ".to_owned(), false),
                ("rash".to_owned(), true),
                (".".to_owned(), false),
            ]
        );
        assert_eq!(
            split_marked("<script>"),
            vec![("<script>".to_owned(), false)]
        );
    }

    #[test]
    fn feed_cursors_round_trip() {
        let at = DateTime::<Utc>::from_timestamp_micros(1_764_000_000_123_456).unwrap();
        assert_eq!(parse_feed_cursor(&feed_cursor(at, 42)), Some((at, 42)));
        assert_eq!(parse_feed_cursor("garbage"), None);
        assert_eq!(parse_feed_cursor("12.x"), None);
    }

    #[test]
    fn url_encoding_and_counts() {
        assert_eq!(url_encode("/cases?page=2"), "/cases%3Fpage%3D2");
        assert_eq!(
            url_encode("inferior STEMI & shock"),
            "inferior%20STEMI%20%26%20shock"
        );
        assert_eq!(count_label(1, "follower", "followers"), "1 follower");
        assert_eq!(count_label(0, "follower", "followers"), "0 followers");
    }

    #[test]
    fn email_plausibility() {
        assert!(is_plausible_email("asha@aiims.edu.in"));
        for bad in [
            "asha", "asha@", "@x.in", "a b@x.in", "a@b", "a@.in", "a@x.in.",
        ] {
            assert!(!is_plausible_email(bad), "{bad} should be rejected");
        }
    }

    #[test]
    fn registration_reports_each_field() {
        let err = NewUser::parse(input("not-an-email", "short")).unwrap_err();
        let fields = err.field_errors().expect("validation error");
        assert!(fields.get("email").is_some());
        assert!(fields.get("password").unwrap().contains("at least 10"));
        // What was typed comes back, except the password.
        assert_eq!(fields.value("email"), Some("not-an-email"));
        assert_eq!(fields.value("password"), None);
    }

    #[test]
    fn registration_normalises_email() {
        let user = NewUser::parse(input("  Asha@AIIMS.edu.in ", "long enough pw")).unwrap();
        assert_eq!(user.email, "asha@aiims.edu.in");
        assert_eq!(user.designation, None);
    }

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
}
