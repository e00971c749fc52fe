//! Peer review per department, and institution-specific record-number labels.

use crate::common::fixtures::{department, institution_of, make_site_admin, place};
use crate::common::{CaseForm, Client, TestApp};
use app::accounts::Role;
use app::cases::{CaseDetail, CasePage, HomeData};
use app::error::AppError;
use sqlx::PgPool;

async fn titles(app: &TestApp, client: &mut Client) -> Vec<String> {
    let page: CasePage = app.cases(client, 1).await.json();
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
    for client in [&mut resident, &mut author] {
        let err = app
            .set_peer_review(client, surgery, Some("on"))
            .await
            .error();
        assert_eq!(err, AppError::Forbidden);
    }
    let (mut other_admin, other_admin_id) = app
        .user_with_role("oa@example.in", "Dr. Other Admin", Role::DepartmentAdmin)
        .await;
    place(&pool, other_admin_id, medicine).await;
    let err = app
        .set_peer_review(&mut other_admin, surgery, Some("on"))
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    app.set_peer_review(&mut admin, surgery, Some("on"))
        .await
        .ok();

    let id = app
        .create_case(
            &mut author,
            CaseForm::publish("Reviewed case", "Sigmoid volvulus."),
        )
        .await;
    let status: String = sqlx::query_scalar("select review_status::text from cases where id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "pending");

    // Readers do not see it yet: not in lists, not by URL.
    assert!(titles(&app, &mut resident).await.is_empty());
    let err = app.case(&mut resident, id).await.error();
    assert_eq!(err, AppError::NotFound);
    assert!(titles(&app, &mut outsider).await.is_empty());

    // The author sees it waiting; a mentor of the department has it in their review list.
    let detail: CaseDetail = app.case(&mut author, id).await.json();
    assert!(detail.review.pending && !detail.review.can_approve);
    let home: HomeData = app.home(&mut reviewer).await.json();
    assert_eq!(home.reviews.len(), 1);
    assert_eq!(home.reviews[0].id, id);
    let detail: CaseDetail = app.case(&mut reviewer, id).await.json();
    assert!(detail.review.can_approve);

    // Nobody approves their own case, nor a case of another department; residents never do.
    let err = app.approve_case(&mut author, id).await.error();
    assert_eq!(err, AppError::Forbidden);
    let err = app.approve_case(&mut outsider, id).await.error();
    assert_eq!(err, AppError::Forbidden);
    let err = app.approve_case(&mut resident, id).await.error();
    assert_eq!(err, AppError::Forbidden);

    app.approve_case(&mut reviewer, id).await.ok();
    assert_eq!(titles(&app, &mut resident).await, vec!["Reviewed case"]);
    let detail: CaseDetail = app.case(&mut resident, id).await.json();
    assert_eq!(detail.review.approved_by.as_deref(), Some("Dr. Reviewer"));
    // Approving twice is refused with a reason.
    let err = app.approve_case(&mut admin, id).await.error();
    assert!(err.field_errors().unwrap().get("review").is_some());

    // Without review, cases of the other department go straight to readers.
    let (mut medic, medic_id) = app
        .user_with_role("m2@example.in", "Dr. Medic", Role::Mentor)
        .await;
    place(&pool, medic_id, medicine).await;
    app.create_case(&mut medic, CaseForm::publish("Unreviewed case", "DKA."))
        .await;
    assert_eq!(titles(&app, &mut resident).await.len(), 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_institution_record_label_is_enforced_in_its_own_cases_only(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let kem = department(&pool, "KEM Hospital", "Surgery").await;
    let cmc = department(&pool, "CMC Vellore", "Surgery").await;
    let institution = institution_of(&pool, kem).await;
    let (mut site_admin, site_admin_id) = app
        .user_with_role("sa@example.in", "Site Admin", Role::Resident)
        .await;
    make_site_admin(&pool, site_admin_id).await;
    let (mut dept_admin, dept_admin_id) = app
        .user_with_role("da@example.in", "Dept Admin", Role::DepartmentAdmin)
        .await;
    place(&pool, dept_admin_id, kem).await;

    let err = app
        .add_record_label(&mut dept_admin, institution, "PID")
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let err = app
        .add_record_label(&mut site_admin, institution, "9PID<script>")
        .await
        .error();
    assert!(err.field_errors().unwrap().get("label").is_some());
    app.add_record_label(&mut site_admin, institution, "PID")
        .await
        .ok();

    let text = "Admitted under PID 778120 with fever.";
    let fever = |title| CaseForm {
        title,
        specialty: "general-medicine",
        summary: "S.",
        body: Some(text),
        intent: Some("publish"),
        ..CaseForm::default()
    };
    let (mut kem_mentor, kem_mentor_id) = app
        .user_with_role("k@example.in", "Dr. KEM", Role::Mentor)
        .await;
    place(&pool, kem_mentor_id, kem).await;
    let err = app.save_case(&mut kem_mentor, fever("Fever")).await.error();
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
    app.save_case(&mut cmc_mentor, fever("Fever 2")).await.ok();

    // Removing the label lifts the block.
    app.remove_record_label(&mut site_admin, institution, "PID")
        .await
        .ok();
    app.save_case(&mut kem_mentor, fever("Fever 3")).await.ok();
}
