//! Lists that grow come a page at a time, and exports stream: the CME ledger (filters, totals
//! over everything), the department's claims queue, a case's discussion, and the CSV exports
//! with more rows than one batch.

use crate::common::fixtures::{
    council, department, make_site_admin, place_registered, world, World,
};
use crate::common::{Client, TestApp};
use app::accounts::Role;
use app::cases::CaseDetail;
use app::cme::{ClaimStatus, CmeOverview, LedgerEntry, LEDGER_PER_PAGE};
use app::department::api::{Dashboard, CLAIMS_PER_PAGE};
use app::discussion::{Discussion, THREADS_PER_PAGE};
use app::error::AppError;
use axum::http::StatusCode;
use sqlx::PgPool;

/// The href of the link whose text is `label` in a server-rendered page, unescaped.
fn link(page: &str, label: &str) -> Option<String> {
    let end = page.find(&format!(">{label}</a>"))?;
    let start = page[..end].rfind("href=\"")? + "href=\"".len();
    let href = &page[start..];
    let href = href[..href.find('"')?].replace("&amp;", "&");
    // The fragment is the browser's, never sent.
    Some(href.split('#').next().unwrap_or_default().to_owned())
}

/// Whether `text` appears in `page` not followed by another digit ("activity 8" is not in
/// "activity 80").
fn shows(page: &str, text: &str) -> bool {
    page.match_indices(text).any(|(at, _)| {
        !page[at + text.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// `count` ledger lines of 0.5 for `user`, two a date from 1 January 2024 a week apart (so
/// they run into 2025); every fifth in hours, every third external.
async fn ledger_lines(pool: &PgPool, user: i64, count: i32, tag: &str) {
    sqlx::query(
        "insert into cme_ledger (user_id, activity, activity_ref, amount, credit_type, online,
                                 earned_on, source)
         select $1, $3 || ' activity ' || g, $3 || ':' || g, 0.5,
                (case when g % 5 = 0 then 'hours' else 'points' end)::credit_type, false,
                date '2024-01-01' + (g / 2) * 7,
                (case when g % 3 = 0 then 'external' else 'corridor' end)::credit_source
         from generate_series(1, $2) g",
    )
    .bind(user)
    .bind(count)
    .bind(tag)
    .execute(pool)
    .await
    .unwrap();
}

/// Every page of `client`'s ledger under `filter`: the lines in order, and the first page.
async fn all_ledger_pages(
    app: &TestApp,
    client: &mut Client,
    filter: [Option<&str>; 3],
) -> (Vec<LedgerEntry>, CmeOverview) {
    let mut lines = Vec::new();
    let mut before: Option<String> = None;
    let mut first = None;
    loop {
        let page: CmeOverview = app
            .cme_ledger(client, filter, before.as_deref())
            .await
            .json();
        assert!(page.ledger.len() as i64 <= LEDGER_PER_PAGE);
        lines.extend(page.ledger.iter().cloned());
        before = page.ledger_next.clone();
        first.get_or_insert(page);
        if before.is_none() {
            return (lines, first.unwrap());
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_ledger_comes_a_page_at_a_time_with_filters_and_totals_over_all_of_it(pool: PgPool) {
    let World {
        app,
        mut resident,
        resident_id,
        mut admin,
        ..
    } = world(pool.clone()).await;
    let admin_id = place_admin_id(&pool).await;
    let mmc = council(&pool, "Maharashtra Medical Council").await;
    app.set_cme_profile(&mut resident, mmc, "2024-01-01")
        .await
        .ok();
    ledger_lines(&pool, resident_id, 130, "mine").await;
    ledger_lines(&pool, admin_id, 5, "theirs").await;

    // Every line once, newest first, a page at a time.
    let first: CmeOverview = app.cme_ledger(&mut resident, [None; 3], None).await.json();
    assert_eq!(first.ledger.len() as i64, LEDGER_PER_PAGE);
    assert!(first.ledger_next.is_some());
    let (lines, _) = all_ledger_pages(&app, &mut resident, [None; 3]).await;
    let ids: Vec<i64> = lines.iter().map(|l| l.id).collect();
    let expected: Vec<i64> = sqlx::query_scalar(
        "select id from cme_ledger where user_id = $1 order by earned_on desc, id desc",
    )
    .bind(resident_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(ids.len(), 130);
    assert_eq!(ids, expected, "no line twice, none missing, newest first");

    // The totals and the progress count every line, not the page shown.
    assert_eq!(first.ledger_totals.lines, 130);
    assert_eq!(first.ledger_totals.points + first.ledger_totals.hours, 65.0);
    assert_eq!(first.ledger_totals.hours, 26.0 * 0.5);
    assert_eq!(first.ledger_totals.years, vec![2025, 2024]);
    let profiles = app.cme_profiles(&mut resident).await;
    let (_, profile) = profiles.iter().find(|(id, _)| *id == mmc).unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let today = app::cme::api::today();
    let over_all = app::cme::rules::evaluate(profile, start, &app::cme::entries(&lines), today);
    let over_page =
        app::cme::rules::evaluate(profile, start, &app::cme::entries(&first.ledger), today);
    assert_ne!(over_all.counted, over_page.counted);
    assert_eq!(first.progress.as_ref(), Some(&over_all));

    // A filter narrows the lines and the totals alike, and pages the same way.
    let filter = [Some("2024"), Some("points"), Some("corridor")];
    let (filtered, head) = all_ledger_pages(&app, &mut resident, filter).await;
    let expected: Vec<i64> = sqlx::query_scalar(
        "select id from cme_ledger where user_id = $1 and extract(year from earned_on) = 2024
           and credit_type = 'points' and source = 'corridor'
         order by earned_on desc, id desc",
    )
    .bind(resident_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(!expected.is_empty() && expected.len() < 130);
    assert_eq!(filtered.iter().map(|l| l.id).collect::<Vec<_>>(), expected);
    assert_eq!(head.ledger_totals.lines, expected.len() as i64);
    assert_eq!(head.ledger_totals.hours, 0.0);
    assert_eq!(head.ledger_totals.points, expected.len() as f64 * 0.5);
    // The progress is the cycle's whatever the filter.
    assert_eq!(head.progress.as_ref(), Some(&over_all));

    // A cursor that does not read is a 400 with a sentence, not a 500 or the first page.
    for bad in ["garbage", "12~not-a-date", "x~2024-01-01"] {
        let reply = app.cme_ledger(&mut resident, [None; 3], Some(bad)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(reply.error(), AppError::BadCursor);
        assert!(reply.error().to_string().contains("page link"));
    }

    // Each person reads their own ledger only, whatever cursor they bring (a cursor is a
    // position, not a permission).
    let theirs: CmeOverview = app
        .cme_ledger(&mut admin, [None; 3], first.ledger_next.as_deref())
        .await
        .json();
    assert!(theirs
        .ledger
        .iter()
        .all(|l| l.activity.starts_with("theirs")));
    let theirs: CmeOverview = app.cme_ledger(&mut admin, [None; 3], None).await.json();
    assert_eq!(theirs.ledger.len(), 5);
    assert_eq!(theirs.ledger_totals.lines, 5);
    assert!(theirs
        .ledger
        .iter()
        .all(|l| l.activity.starts_with("theirs")));

    // Without JavaScript: "Older entries" is a plain link the page reads.
    let page = app.get(&mut resident, "/cme").await;
    assert_eq!(page.status, StatusCode::OK);
    let older = link(&page.body, "Older entries").expect("an Older entries link");
    assert!(older.starts_with("/cme?") && older.contains("before="));
    let second = app.get(&mut resident, &older).await;
    assert_eq!(second.status, StatusCode::OK);
    let oldest_shown = &lines[LEDGER_PER_PAGE as usize];
    // (The progress above the ledger names every activity of the cycle: look at the ledger.)
    let ledger = |body: &str| {
        let from = body.find("id=\"ledger-h\"").unwrap();
        let to = body.find("id=\"claims-h\"").unwrap();
        body[from..to].to_owned()
    };
    assert!(shows(&ledger(&second.body), &oldest_shown.activity));
    assert!(!shows(&ledger(&page.body), &oldest_shown.activity));
    assert!(shows(&ledger(&page.body), &lines[0].activity));
    let bad = app.get(&mut resident, "/cme?before=garbage").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("page link is broken"));
}

/// The World's department admin's id.
async fn place_admin_id(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select id from users where email = 'admin@example.in'")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// `pending`, `approved` and `rejected` claims by `user`, the higher numbers newer; two at a
/// time share their submission time (the id decides).
async fn claims_for(pool: &PgPool, user: i64, pending: i32, approved: i32, rejected: i32) {
    for (status, n) in [
        ("pending", pending),
        ("approved", approved),
        ("rejected", rejected),
    ] {
        sqlx::query(
            "insert into cme_claims (user_id, title, organiser, held_on, accreditation_number,
                                     amount, credit_type, status, created_at)
             select $1, $2 || ' claim ' || g, 'ASI', date '2025-01-01', 'ACC-1', 1, 'points',
                    $2::claim_status, timestamptz '2026-01-01' + (g / 2) * interval '1 minute'
             from generate_series(1, $3) g",
        )
        .bind(user)
        .bind(status)
        .bind(n)
        .execute(pool)
        .await
        .unwrap();
    }
}

/// Every page of a department's claims queue under `status`: the claims' ids in order.
async fn all_claim_pages(app: &TestApp, admin: &mut Client, status: Option<&str>) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page: Dashboard = app
            .dashboard_claims(admin, status, after.as_deref())
            .await
            .json();
        assert!(page.claims.len() as i64 <= CLAIMS_PER_PAGE);
        ids.extend(page.claims.iter().map(|c| c.id));
        match page.claims_next {
            Some(next) => after = Some(next),
            None => return ids,
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_claims_queue_comes_a_page_at_a_time_waiting_first(pool: PgPool) {
    let World {
        app,
        mut resident,
        resident_id,
        mut admin,
        ..
    } = world(pool.clone()).await;
    claims_for(&pool, resident_id, 27, 6, 4).await;
    let in_order = |filter: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!(
                "select id from cme_claims where {filter}
                 order by status <> 'pending', created_at desc, id desc"
            ))
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    };

    // By default, the claims waiting, newest first, a page at a time.
    let first: Dashboard = app.dashboard_claims(&mut admin, None, None).await.json();
    assert_eq!(first.claims.len() as i64, CLAIMS_PER_PAGE);
    assert!(first
        .claims
        .iter()
        .all(|c| c.status == ClaimStatus::Pending));
    assert!(first.claims_next.is_some());
    let pending = all_claim_pages(&app, &mut admin, None).await;
    assert_eq!(pending, in_order("status = 'pending'").await);
    assert_eq!(pending.len(), 27);

    // All of them: waiting first, then decided, each newest first; or one status only.
    let all = all_claim_pages(&app, &mut admin, Some("all")).await;
    assert_eq!(all, in_order("true").await);
    assert_eq!(all.len(), 37);
    let approved = all_claim_pages(&app, &mut admin, Some("approved")).await;
    assert_eq!(approved, in_order("status = 'approved'").await);
    assert_eq!(approved.len(), 6);

    // A cursor that does not read is a 400.
    for bad in ["nonsense", "5~p.x", "5~q.1", "x~p.1"] {
        let reply = app.dashboard_claims(&mut admin, None, Some(bad)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(reply.error(), AppError::BadCursor);
    }

    // Another department's admin sees none of them, with or without the cursor; a resident
    // has no queue.
    let other = department(&pool, "Sahyadri Medical College", "Medicine").await;
    let (mut stranger, stranger_id) = app
        .user_with_role("head@example.in", "Dr. Other Head", Role::DepartmentAdmin)
        .await;
    place_registered(&pool, stranger_id, other).await;
    let theirs: Dashboard = app
        .dashboard_claims(&mut stranger, Some("all"), first.claims_next.as_deref())
        .await
        .json();
    assert!(theirs.claims.is_empty());
    let theirs: Dashboard = app
        .dashboard_claims(&mut stranger, Some("all"), None)
        .await
        .json();
    assert!(theirs.claims.is_empty());
    let reply = app.dashboard_claims(&mut resident, None, None).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // Without JavaScript: "More claims" is a plain link the dashboard reads.
    let page = app.get(&mut admin, "/department").await;
    assert_eq!(page.status, StatusCode::OK);
    let more = link(&page.body, "More claims").expect("a More claims link");
    let second = app.get(&mut admin, &more).await;
    assert_eq!(second.status, StatusCode::OK);
    // The oldest claim waiting is on the second page only.
    assert!(second.body.contains("pending claim 1 (") && !page.body.contains("pending claim 1 ("));
    assert!(page.body.contains("pending claim 27 ("));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_long_discussion_comes_a_page_of_threads_at_a_time(pool: PgPool) {
    let World {
        app,
        case_id,
        mut resident,
        resident_id,
        ..
    } = world(pool.clone()).await;
    // 62 threads an hour ago, a second apart except 20 to 29 (the same time: the id decides),
    // and replies (later than all of them) to the first and the 55th.
    sqlx::query(
        "insert into comments (case_id, author_id, body_md, body_html, created_at)
         select $1, $2, 'Remark ' || lpad(g::text, 3, '0'),
                '<p>Remark ' || lpad(g::text, 3, '0') || '</p>',
                now() - interval '1 hour'
                  + (case when g between 20 and 29 then 20 else g end) * interval '1 second'
         from generate_series(1, 62) g order by g",
    )
    .bind(case_id)
    .bind(resident_id)
    .execute(&pool)
    .await
    .unwrap();
    let thread = |n: i32| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("select id from comments where body_md = $1")
                .bind(format!("Remark {n:03}"))
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let (first_thread, late_thread) = (thread(1).await, thread(55).await);
    for parent in [first_thread, late_thread] {
        sqlx::query(
            "insert into comments (case_id, author_id, parent_id, body_md, body_html)
             values ($1, $2, $3, 'A reply', '<p>A reply</p>')",
        )
        .bind(case_id)
        .bind(resident_id)
        .bind(parent)
        .execute(&pool)
        .await
        .unwrap();
    }
    let every: Vec<i64> = sqlx::query_scalar(
        "select id from comments where case_id = $1 order by coalesce(parent_id, id), id",
    )
    .bind(case_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    let threads_in_order: Vec<i64> = sqlx::query_scalar(
        "select id from comments where case_id = $1 and parent_id is null order by created_at, id",
    )
    .bind(case_id)
    .fetch_all(&pool)
    .await
    .unwrap();

    // The case page (one query) carries the first page of threads, each with its replies.
    let case: CaseDetail = app.case_comments(&mut resident, case_id, None).await.json();
    let d = &case.discussion;
    let top = |d: &Discussion| -> Vec<i64> {
        d.comments
            .iter()
            .filter(|c| c.parent_id.is_none())
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(top(d).len() as i64, THREADS_PER_PAGE);
    assert_eq!(d.total, 64);
    assert!(!d.later_page);
    assert!(d.comments.iter().any(|c| c.parent_id == Some(first_thread)));
    assert!(!d.comments.iter().any(|c| c.parent_id == Some(late_thread)));
    let next = d.next.clone().expect("more threads");
    let later: CaseDetail = app
        .case_comments(&mut resident, case_id, Some(&next))
        .await
        .json();
    let l = &later.discussion;
    assert!(l.later_page && l.next.is_none());
    assert!(l.comments.iter().any(|c| c.parent_id == Some(late_thread)));
    let mut seen: Vec<i64> = d.comments.iter().chain(&l.comments).map(|c| c.id).collect();
    assert_eq!(
        [top(d), top(l)].concat(),
        threads_in_order,
        "threads in order, none twice, none missing"
    );
    seen.sort();
    let mut every_sorted = every.clone();
    every_sorted.sort();
    assert_eq!(seen, every_sorted, "every comment and reply once");

    // The discussion endpoint pages the same way.
    let first: Discussion = app.discussion(&mut resident, case_id).await.json();
    assert_eq!(first.comments, d.comments);
    let second: Discussion = app
        .discussion_after(&mut resident, case_id, first.next.as_deref())
        .await
        .json();
    assert_eq!(second.comments, l.comments);

    // A cursor that does not read is a 400.
    let reply = app.case_comments(&mut resident, case_id, Some("x")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.error(), AppError::BadCursor);
    let reply = app
        .discussion_after(&mut resident, case_id, Some("1~yesterday"))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);

    // Without JavaScript: "More comments" is a plain link the case page reads.
    let page = app.get(&mut resident, &format!("/cases/{case_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Remark 050") && !page.body.contains("Remark 051"));
    let more = link(&page.body, "More comments").expect("a More comments link");
    let second = app.get(&mut resident, &more).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("Remark 062") && !second.body.contains("Remark 050"));
    assert!(second.body.contains("Back to the first comments"));
}

/// The values of one column of a CSV body (no field here holds a comma or a line break).
fn column(csv: &str, name: &str) -> Vec<String> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| l.split(',').nth(at).unwrap_or_default().to_owned())
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn csv_exports_larger_than_a_batch_have_every_row_once(pool: PgPool) {
    let World {
        app,
        resident,
        resident_id,
        admin,
        dept,
        ..
    } = world(pool.clone()).await;
    let admin_id = place_admin_id(&pool).await;
    let batch = app::cme::http::EXPORT_BATCH as i32;
    ledger_lines(&pool, resident_id, 2 * batch + 17, "mine").await;
    ledger_lines(&pool, admin_id, 3, "theirs").await;
    sqlx::query(
        "insert into cme_ledger (user_id, activity, activity_ref, amount, credit_type, online,
                                 earned_on, source)
         values ($1, '=HYPERLINK(\"x\")', 'formula', 1, 'points', false, '2024-06-01', 'corridor')",
    )
    .bind(resident_id)
    .execute(&pool)
    .await
    .unwrap();

    // The person's own ledger, oldest first, every line once, with the file headers.
    let (status, headers, csv) = app.get_bytes(&resident, "/cme/ledger.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "private, no-cache");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"corridor-cme-ledger.csv\""
    );
    let csv = String::from_utf8(csv).unwrap();
    let ids = column(&csv, "entry_id");
    let expected: Vec<String> = sqlx::query_scalar(
        "select id::text from cme_ledger where user_id = $1 order by earned_on, id",
    )
    .bind(resident_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(ids.len(), (2 * batch + 18) as usize);
    assert_eq!(ids, expected);
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"x\"\")\""),
        "formulas stay neutralised"
    );
    // Under the page's filter.
    let (_, _, only_2025) = app
        .get_bytes(&resident, "/cme/ledger.csv?year=2025&source=external")
        .await;
    let only_2025 = String::from_utf8(only_2025).unwrap();
    let dates = column(&only_2025, "date");
    assert!(!dates.is_empty() && dates.iter().all(|d| d.starts_with("2025-")));
    assert!(column(&only_2025, "source").iter().all(|s| s == "external"));

    // The department's ledger: every member's lines once, by name then oldest first.
    let (status, _, csv) = app.get_bytes(&admin, "/department/ledger.csv").await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    let ids = column(&csv, "entry_id");
    let expected: Vec<String> = sqlx::query_scalar(
        "select l.id::text from cme_ledger l join users u on u.id = l.user_id
         where u.department_id = $1 order by u.full_name, u.id, l.earned_on, l.id",
    )
    .bind(dept)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(ids.len(), (2 * batch + 18 + 3) as usize);
    assert_eq!(ids, expected);

    // The dashboard: every member once.
    sqlx::query(
        "insert into users (email, password_hash, full_name, department_id, role)
         select 'member' || g || '@example.in', 'x', 'Member ' || lpad(g::text, 4, '0'), $1,
                'resident'
         from generate_series(1, $2) g",
    )
    .bind(dept)
    .bind(batch + 40)
    .execute(&pool)
    .await
    .unwrap();
    let (status, _, csv) = app.get_bytes(&admin, "/department/dashboard.csv").await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    let mut emails = column(&csv, "email");
    let members: i64 = sqlx::query_scalar("select count(*) from users where department_id = $1")
        .bind(dept)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(emails.len() as i64, members);
    // Compressed, as browsers ask for it: the compression layer polls the streamed body once
    // more after its end, which must not break it.
    {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let response = app
            .router
            .clone()
            .oneshot(
                axum::http::Request::get("/department/dashboard.csv")
                    .header("cookie", admin.cookie.clone().unwrap())
                    .header("accept-encoding", "gzip")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-encoding"], "gzip");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert!(
            body.len() > 100,
            "a compressed export: {} bytes",
            body.len()
        );
    }
    emails.sort();
    emails.dedup();
    assert_eq!(emails.len() as i64, members, "none twice");

    // The audit log: more entries than a batch, every one once, newest first.
    sqlx::query(
        "insert into audit_log (action, detail, at)
         select 'test.entry', 'entry ' || g, now() - g * interval '1 second'
         from generate_series(1, $1) g",
    )
    .bind(app::audit::http::BATCH as i32 + 25)
    .execute(&pool)
    .await
    .unwrap();
    let (mut head, head_id) = app.register("head@example.in", "Dr. Site Head").await;
    make_site_admin(&pool, head_id).await;
    let reply = app.get(&mut head, "/admin/audit.csv").await;
    assert_eq!(reply.status, StatusCode::OK);
    let ids = column(&reply.body, "id");
    let expected: Vec<String> =
        sqlx::query_scalar("select id::text from audit_log order by at desc, id desc")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(expected.len() as i64 > app::audit::http::BATCH);
    assert_eq!(ids, expected);

    // Still only for those who may: a resident gets no department export.
    let (status, _, _) = app.get_bytes(&resident, "/department/ledger.csv").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = app.get_bytes(&resident, "/department/dashboard.csv").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
