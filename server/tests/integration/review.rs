//! Peer review per department, and institution-specific record-number labels.

use crate::common::{Client, TestApp};
use app::accounts::Role;
use app::cases::{CaseDetail, CasePage, HomeData};
use app::error::AppError;
use sqlx::PgPool;

async fn department(pool: &PgPool, institution: &str, name: &str) -> i64 {
    app::accounts::db::add_department(pool, institution, None, name)
        .await
        .expect("department added")
}

async fn place(pool: &PgPool, user_id: i64, department_id: i64) {
    sqlx::query("update users set department_id = $2 where id = $1")
        .bind(user_id)
        .bind(department_id)
        .execute(pool)
        .await
        .unwrap();
}

async fn titles(app: &TestApp, client: &mut Client) -> Vec<String> {
    let page: CasePage = app.call(client, "cases", &[("page", "1")]).await.json();
    page.items.into_iter().map(|c| c.title).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn with_peer_review_on_a_case_reaches_readers_only_after_another_mentor_approves(
    pool: PgPool,
) {
    let app = TestApp::new(pool.clone()).await;
    let surgery = department(&pool, "KEM Hospital", "Surgery").await;
    let medicine = department(&pool, "KEM Hospital", "Medicine").await;
    let (mut author, author_id) = app
        .user_with_role("a@example.in", "Dr. Author", Role::Mentor)
        .await;
    let (mut reviewer, reviewer_id) = app
        .user_with_role("r@example.in", "Dr. Reviewer", Role::Mentor)
        .await;
    let (mut outsider, outsider_id) = app
        .user_with_role("o@example.in", "Dr. Outsider", Role::Mentor)
        .await;
    let (mut resident, resident_id) = app.register("res@example.in", "Dr. Resident").await;
    let (mut admin, admin_id) = app
        .user_with_role("da@example.in", "Dr. Dept Admin", Role::DepartmentAdmin)
        .await;
    for (user, dept) in [
        (author_id, surgery),
        (reviewer_id, surgery),
        (resident_id, surgery),
        (admin_id, surgery),
        (outsider_id, medicine),
    ] {
        place(&pool, user, dept).await;
    }

    // Only the department's own admin (or a site admin) switches review on.
    let dept = surgery.to_string();
    for client in [&mut resident, &mut author] {
        let err = app
            .call(
                client,
                "admin/peer-review",
                &[("department_id", &dept), ("enabled", "on")],
            )
            .await
            .error();
        assert_eq!(err, AppError::Forbidden);
    }
    let (mut other_admin, other_admin_id) = app
        .user_with_role("oa@example.in", "Dr. Other Admin", Role::DepartmentAdmin)
        .await;
    place(&pool, other_admin_id, medicine).await;
    let err = app
        .call(
            &mut other_admin,
            "admin/peer-review",
            &[("department_id", &dept), ("enabled", "on")],
        )
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    app.call(
        &mut admin,
        "admin/peer-review",
        &[("department_id", &dept), ("enabled", "on")],
    )
    .await
    .ok();

    let id = app
        .save_case(&mut author, "Reviewed case", "Sigmoid volvulus.", "publish")
        .await;
    let case = id.to_string();
    let status: String = sqlx::query_scalar("select review_status::text from cases where id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "pending");

    // Readers do not see it yet: not in lists, not by URL.
    assert!(titles(&app, &mut resident).await.is_empty());
    let err = app
        .call(&mut resident, "case", &[("id", &case)])
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
    assert!(titles(&app, &mut outsider).await.is_empty());

    // The author sees it waiting; a mentor of the department has it in their review list.
    let detail: CaseDetail = app.call(&mut author, "case", &[("id", &case)]).await.json();
    assert!(detail.review.pending && !detail.review.can_approve);
    let home: HomeData = app.call(&mut reviewer, "home", &[]).await.json();
    assert_eq!(home.reviews.len(), 1);
    assert_eq!(home.reviews[0].id, id);
    let detail: CaseDetail = app
        .call(&mut reviewer, "case", &[("id", &case)])
        .await
        .json();
    assert!(detail.review.can_approve);

    // Nobody approves their own case, nor a case of another department; residents never do.
    let err = app
        .call(&mut author, "approve-case", &[("id", &case)])
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let err = app
        .call(&mut outsider, "approve-case", &[("id", &case)])
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let err = app
        .call(&mut resident, "approve-case", &[("id", &case)])
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);

    app.call(&mut reviewer, "approve-case", &[("id", &case)])
        .await
        .ok();
    assert_eq!(titles(&app, &mut resident).await, vec!["Reviewed case"]);
    let detail: CaseDetail = app
        .call(&mut resident, "case", &[("id", &case)])
        .await
        .json();
    assert_eq!(detail.review.approved_by.as_deref(), Some("Dr. Reviewer"));
    // Approving twice is refused with a reason.
    let err = app
        .call(&mut admin, "approve-case", &[("id", &case)])
        .await
        .error();
    assert!(err.field_errors().unwrap().get("review").is_some());

    // Without review, cases of the other department go straight to readers.
    let (mut medic, medic_id) = app
        .user_with_role("m2@example.in", "Dr. Medic", Role::Mentor)
        .await;
    place(&pool, medic_id, medicine).await;
    app.save_case(&mut medic, "Unreviewed case", "DKA.", "publish")
        .await;
    assert_eq!(titles(&app, &mut resident).await.len(), 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_institution_record_label_is_enforced_in_its_own_cases_only(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let kem = department(&pool, "KEM Hospital", "Surgery").await;
    let cmc = department(&pool, "CMC Vellore", "Surgery").await;
    let kem_institution: i64 =
        sqlx::query_scalar("select institution_id from departments where id = $1")
            .bind(kem)
            .fetch_one(&pool)
            .await
            .unwrap();
    let (mut site_admin, _) = app
        .user_with_role("sa@example.in", "Site Admin", Role::Resident)
        .await;
    sqlx::query("update users set role = 'site_admin' where email = 'sa@example.in'")
        .execute(&pool)
        .await
        .unwrap();
    let (mut dept_admin, dept_admin_id) = app
        .user_with_role("da@example.in", "Dept Admin", Role::DepartmentAdmin)
        .await;
    place(&pool, dept_admin_id, kem).await;

    let institution = kem_institution.to_string();
    let err = app
        .call(
            &mut dept_admin,
            "admin/add-record-label",
            &[("institution_id", &institution), ("label", "PID")],
        )
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let err = app
        .call(
            &mut site_admin,
            "admin/add-record-label",
            &[("institution_id", &institution), ("label", "9PID<script>")],
        )
        .await
        .error();
    assert!(err.field_errors().unwrap().get("label").is_some());
    app.call(
        &mut site_admin,
        "admin/add-record-label",
        &[("institution_id", &institution), ("label", "PID")],
    )
    .await
    .ok();

    let text = "Admitted under PID 778120 with fever.";
    let (mut kem_mentor, kem_mentor_id) = app
        .user_with_role("k@example.in", "Dr. KEM", Role::Mentor)
        .await;
    place(&pool, kem_mentor_id, kem).await;
    let err = app
        .call(
            &mut kem_mentor,
            "save-case",
            &[
                ("title", "Fever"),
                ("specialty", "general-medicine"),
                ("summary", "S."),
                ("body", text),
                ("intent", "publish"),
            ],
        )
        .await
        .error();
    let AppError::PrivacyBlocked { findings, .. } = err else {
        panic!("expected a privacy block, got {err:?}");
    };
    assert_eq!(findings[0].kind, app::privacy::FindingKind::RecordNumber);
    assert_eq!(findings[0].text, "PID 778120");

    // The same words from another institution, where PID means nothing, publish.
    let (mut cmc_mentor, cmc_mentor_id) = app
        .user_with_role("c@example.in", "Dr. CMC", Role::Mentor)
        .await;
    place(&pool, cmc_mentor_id, cmc).await;
    app.call(
        &mut cmc_mentor,
        "save-case",
        &[
            ("title", "Fever 2"),
            ("specialty", "general-medicine"),
            ("summary", "S."),
            ("body", text),
            ("intent", "publish"),
        ],
    )
    .await
    .ok();

    // Removing the label lifts the block.
    app.call(
        &mut site_admin,
        "admin/remove-record-label",
        &[("institution_id", &institution), ("label", "PID")],
    )
    .await
    .ok();
    app.call(
        &mut kem_mentor,
        "save-case",
        &[
            ("title", "Fever 3"),
            ("specialty", "general-medicine"),
            ("summary", "S."),
            ("body", text),
            ("intent", "publish"),
        ],
    )
    .await
    .ok();
}
