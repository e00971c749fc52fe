//! CME files: certificate PDF, external-claim submission (with the organiser's certificate
//! file) and CSV exports (the Open Badge and its signing are `badge`'s). Over 400 lines
//! because the claim form is read field by field from a multipart body and each export names
//! its columns; each handler is short.

use crate::accounts::Role;
use crate::cme::certificate;
use crate::cme::db::NewClaim;
use crate::cme::LedgerEntry;
use crate::cme::CLAIM_ACTION;
use crate::error::AppError;
use crate::ssr::auth::AuthUser;
use crate::ssr::respond::{csv_stream, private_file, refused, Caller, PostedForm};
use crate::ssr::{guard, AppState};
use axum::{
    extract::{DefaultBodyLimit, Multipart, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Json, Router,
};
use tower_sessions::Session;

pub fn routes(max_bytes: usize) -> Router<AppState> {
    Router::new()
        .route("/certificates/{id}/pdf", get(certificate_pdf))
        .route(
            "/cme/claims",
            post(submit_claim).layer(DefaultBodyLimit::max(max_bytes + 256 * 1024)),
        )
        .route("/cme/claims/{id}/file", get(claim_file))
        .route("/cme/ledger.csv", get(ledger_csv))
        .route("/department/dashboard.csv", get(dashboard_csv))
        .route("/department/ledger.csv", get(department_ledger_csv))
}

async fn certificate_pdf(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (cert, holder) = crate::cme::db::certificate(&state.pool, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    if holder != user.id && user.role != Role::SiteAdmin {
        return Err(AppError::NotFound);
    }
    let filename = format!("corridor-certificate-{}.pdf", cert.id);
    // The configured address, never the request's Host: the certificate outlives the request.
    let verify = format!("{}/verify/{}", state.public_url, cert.id);
    // Shaping and font subsetting take a few milliseconds of CPU: off the async workers.
    let bytes = tokio::task::spawn_blocking(move || certificate::pdf(&cert, &verify))
        .await
        .map_err(AppError::internal)??;
    Ok(private_file(bytes, "application/pdf", Some(&filename)))
}

#[derive(Default)]
struct ClaimForm {
    fields: Vec<(String, String)>,
    file: Vec<u8>,
}

impl ClaimForm {
    fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    }
}

/// An external CME claim (multipart form, works without JavaScript): checked field by field;
/// a refused claim comes back to the CME page with the message beside its field.
/// External claims (each with a certificate file) one person may submit per day.
pub const CLAIMS_PER_DAY: i64 = 20;

async fn submit_claim(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let caller = Caller::of(&headers);
    let mut form = ClaimForm::default();
    let result = async {
        let user = AuthUser::from_session(&state.pool, &session).await?;
        // Each claim stores a file: a person may send a conference season's worth a day, not
        // enough to fill the disk.
        crate::department::limit(
            &state.pool,
            "claim",
            &user.id.to_string(),
            CLAIMS_PER_DAY,
            24 * 60,
        )
        .await?;
        let mut multipart = multipart.map_err(|_| AppError::BadRequest)?;
        let max = state.media.max_bytes;
        while let Some(mut field) = multipart
            .next_field()
            .await
            .map_err(|_| AppError::BadRequest)?
        {
            let name = field.name().unwrap_or_default().to_owned();
            if name == "certificate" {
                while let Some(chunk) = field.chunk().await.map_err(|_| {
                    AppError::field(
                        "certificate",
                        format!("The file is larger than {} MB.", max.div_ceil(1 << 20)),
                    )
                })? {
                    if form.file.len() + chunk.len() > max {
                        return Err(AppError::field(
                            "certificate",
                            format!("The file is larger than {} MB.", max.div_ceil(1 << 20)),
                        ));
                    }
                    form.file.extend_from_slice(&chunk);
                }
            } else {
                let value = field.text().await.map_err(|_| AppError::BadRequest)?;
                form.fields.push((name, value));
            }
        }
        let mut errors = crate::error::FieldErrors::new();
        let title = form.get("title");
        if title.is_empty() || title.chars().count() > 200 {
            errors.add(
                "title",
                "Name the conference or workshop (at most 200 characters).",
            );
        }
        let organiser = form.get("organiser");
        if organiser.is_empty() || organiser.chars().count() > 200 {
            errors.add("organiser", "Name the organiser (at most 200 characters).");
        }
        let held_on = chrono::NaiveDate::parse_from_str(form.get("held_on"), "%Y-%m-%d").ok();
        match held_on {
            None => errors.add("held_on", "Give the date it was held."),
            Some(d) if d > crate::cme::api::today() => {
                errors.add("held_on", "Claims are for events that have taken place.")
            }
            _ => {}
        }
        let accreditation = form.get("accreditation_number");
        if accreditation.is_empty() || accreditation.chars().count() > 60 {
            errors.add(
                "accreditation_number",
                "Give the council's accreditation number printed on the certificate.",
            );
        }
        let amount = form
            .get("amount")
            .parse::<f64>()
            .ok()
            .filter(|a| *a > 0.0 && *a <= 50.0);
        if amount.is_none() {
            errors.add("amount", "Give the credit awarded, a number up to 50.");
        }
        let credit_type =
            crate::cme::CreditType::from_form(form.get("credit_type"), "credit_type", &mut errors);
        let kind = image::guess_format(&form.file).ok();
        let is_pdf = form.file.starts_with(b"%PDF-");
        if form.file.is_empty() {
            errors.add(
                "certificate",
                "Attach the certificate you received (PDF, JPEG or PNG).",
            );
        } else if !is_pdf
            && !matches!(
                kind,
                Some(image::ImageFormat::Jpeg | image::ImageFormat::Png)
            )
        {
            errors.add(
                "certificate",
                "The certificate must be a PDF, JPEG or PNG file.",
            );
        }
        let values: Vec<(&str, &str)> = [
            "title",
            "organiser",
            "held_on",
            "accreditation_number",
            "amount",
            "credit_type",
        ]
        .iter()
        .map(|k| (*k, form.get(k)))
        .collect();
        errors.with_values(&values).into_result()?;
        let extension = if is_pdf {
            "pdf"
        } else if kind == Some(image::ImageFormat::Png) {
            "png"
        } else {
            "jpg"
        };
        let key = format!(
            "claims/{}/{:016x}.{extension}",
            user.id,
            rand::random::<u64>()
        );
        state
            .media
            .put(&key, form.file.clone())
            .await
            .map_err(|error| {
                tracing::error!(%error, "could not store a claim certificate");
                AppError::internal("claim store unavailable")
            })?;
        let id = crate::cme::db::insert_claim(
            &state.pool,
            user.id,
            &NewClaim {
                title,
                organiser,
                held_on: held_on.unwrap_or_default(),
                accreditation_number: accreditation,
                amount: amount.unwrap_or_default(),
                credit_type: credit_type.unwrap_or_default(),
                online: form.get("online") == "yes",
                certificate_key: Some(&key),
            },
        )
        .await?;
        tracing::info!(claim_id = id, user_id = user.id, "external CME claimed");
        Ok(id)
    }
    .await;
    match result {
        Ok(id) if caller == Caller::Json => {
            (StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response()
        }
        Ok(_) => Redirect::to("/cme?claimed=1#claims").into_response(),
        Err(error) => refused(
            caller,
            error,
            &PostedForm {
                action: CLAIM_ACTION,
                page: "/cme#claim-form",
                values: &[],
            },
        ),
    }
}

/// The organiser's certificate of a claim: for the claimant and for admins who decide it.
async fn claim_file(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let Some((owner, department, _, Some(key))) =
        crate::cme::db::claim_info(&state.pool, id).await?
    else {
        return Err(AppError::NotFound);
    };
    let allowed = owner == user.id || guard::admin_of_department(&user, department).is_ok();
    if !allowed {
        return Err(AppError::NotFound);
    }
    Ok(match state.media.get(&key).await {
        Ok(bytes) => {
            let (kind, extension) = if key.ends_with(".pdf") {
                ("application/pdf", "pdf")
            } else if key.ends_with(".png") {
                ("image/png", "png")
            } else {
                ("image/jpeg", "jpg")
            };
            // A file someone uploaded is downloaded, never rendered as a page of this site.
            private_file(
                bytes,
                kind,
                Some(&format!("corridor-claim-{id}.{extension}")),
            )
        }
        Err(_) => AppError::NotFound.into_response(),
    })
}

/// The columns of a ledger line in the CSV exports.
const LEDGER_COLUMNS: [&str; 10] = [
    "entry_id",
    "date",
    "activity",
    "amount",
    "credit_type",
    "online",
    "source",
    "certificate_id",
    "reverses_entry",
    "reason",
];

fn ledger_row(l: LedgerEntry) -> Vec<String> {
    vec![
        l.id.to_string(),
        l.earned_on.format("%Y-%m-%d").to_string(),
        l.activity,
        format!("{:.2}", l.amount),
        l.credit_type.to_string(),
        l.online.to_string(),
        l.source.to_string(),
        l.certificate_id.unwrap_or_default(),
        l.reverses.map(|r| r.to_string()).unwrap_or_default(),
        l.reason.unwrap_or_default(),
    ]
}

/// Lines per round trip while exporting (public so tests can export more than one batch).
pub const EXPORT_BATCH: i64 = 500;

#[derive(serde::Deserialize, Default)]
struct LedgerQuery {
    year: Option<String>,
    credit_type: Option<String>,
    source: Option<String>,
}

/// The signed-in person's ledger, oldest first, under the CME page's filter.
async fn ledger_csv(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<LedgerQuery>,
) -> Result<Response, AppError> {
    let filter = crate::cme::api::ledger_filter(
        query.year.as_deref(),
        query.credit_type.as_deref(),
        query.source.as_deref(),
    );
    let (pool, user_id) = (state.pool.clone(), user.id);
    csv_stream("corridor-cme-ledger.csv", &LEDGER_COLUMNS, move |after| {
        let pool = pool.clone();
        async move {
            let lines =
                crate::cme::db::ledger_batch(&pool, user_id, &filter, after, EXPORT_BATCH).await?;
            let next = (lines.len() as i64 == EXPORT_BATCH)
                .then(|| lines.last().map(|l| (l.earned_on, l.id)))
                .flatten();
            Ok((lines.into_iter().map(ledger_row).collect(), next))
        }
    })
    .await
}

/// The credit ledger of every member of the department admin's department.
async fn department_ledger_csv(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Response, AppError> {
    let department = guard::department_admin(&user)?;
    let pool = state.pool.clone();
    let columns = [&["name", "email"][..], &LEDGER_COLUMNS[..]].concat();
    csv_stream("corridor-department-ledger.csv", &columns, move |after| {
        let pool = pool.clone();
        async move {
            let (lines, next) =
                crate::cme::db::department_ledger_batch(&pool, department, after, EXPORT_BATCH)
                    .await?;
            let rows = lines
                .into_iter()
                .map(|(name, email, l)| {
                    let mut row = vec![name, email];
                    row.extend(ledger_row(l));
                    row
                })
                .collect();
            Ok((rows, next))
        }
    })
    .await
}

/// Every member of the department with their credit this cycle, by name, read a batch at a
/// time (see `member_progress`).
async fn dashboard_csv(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Response, AppError> {
    let department = guard::department_admin(&user)?;
    let pool = state.pool.clone();
    csv_stream(
        "corridor-department-dashboard.csv",
        &[
            "name",
            "email",
            "role",
            "council",
            "cycle_start",
            "cycle_end",
            "credit",
            "required",
            "status",
            "gap",
        ],
        move |after: Option<(String, i64)>| {
            let pool = pool.clone();
            async move {
                let filter = crate::department::api::MemberFilter {
                    after,
                    ..Default::default()
                };
                let (members, more) = crate::department::api::member_progress(
                    &pool,
                    department,
                    &filter,
                    EXPORT_BATCH as usize,
                )
                .await?;
                let next = more
                    .then(|| members.last().map(|m| (m.name.clone(), m.user_id)))
                    .flatten();
                let date = |d: Option<chrono::NaiveDate>| {
                    d.map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_default()
                };
                let rows = members
                    .into_iter()
                    .map(|m| {
                        vec![
                            m.name,
                            m.email,
                            m.role.as_str().to_owned(),
                            m.profile.unwrap_or_default(),
                            date(m.cycle_start),
                            date(m.cycle_end),
                            format!("{:.2}", m.counted),
                            m.required.map(|r| format!("{r:.2}")).unwrap_or_default(),
                            m.status,
                            m.gap,
                        ]
                    })
                    .collect();
                Ok((rows, next))
            }
        },
    )
    .await
}
