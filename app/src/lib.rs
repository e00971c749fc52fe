//! Corridor's application, one folder per feature (`accounts`, `cases`, `discussion`,
//! `privacy`, `media`, `quiz`, `cme`, `department`, `admin`, `audit`), each holding its types
//! (`mod.rs`), server functions (`api`), plain HTTP handlers (`http`), database access (`db`)
//! and pages. Shared core: `error`, `ui`, `util`, and `ssr` (state, sessions, guards, mail,
//! audit recording), which is server-only; the rest is shared with the browser bundle,
//! which hydrates the server-rendered pages. See docs/architecture.md.

// Deeply nested `view!` types need more room than the default in the optimised WASM build.
#![recursion_limit = "256"]

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod cases;
pub mod cme;
pub mod consults;
pub mod department;
pub mod discussion;
pub mod error;
pub mod media;
pub mod privacy;
pub mod quiz;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod ui;
pub mod util;

use accounts::components::{AccountNotice, AuthContext, Header};
use accounts::pages::*;
use admin::pages::{AdminPage, SettingsPage};
use audit::pages::AuditLogPage;
use cases::pages::*;
use cme::pages::{CmePage, VerifyPage};
use consults::pages::{ConsultPage, ConsultsPage, EditConsultPage, NewConsultPage, PoolAdminPage};
use department::pages::{DepartmentPage, MembersAdminPage};
use discussion::pages::NotificationsPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};
use media::pages::{CaseImagesPage, HotspotEditorPage, ImageEditorPage};
use quiz::pages::{
    AttemptPage, AttemptResultPage, ModulePreviewPage, QuestionBankPage, QuestionFormPage,
    QuizEditorPage, QuizPage,
};
use ui::not_found::NotFoundPage;

/// Runs once the page is parsed (a module script is deferred): loads the bundle when the page
/// has an island, otherwise marks the page ready at once.
const ISLANDS_LOADER: &str = r#"if (document.querySelector("leptos-island")) {
  document.head.append(document.importNode(document.getElementById("islands-code").content, true));
} else {
  document.documentElement.classList.add("hydrated");
}"#;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content="Corridor: case sketches and micro-lessons from senior clinicians, for residents." />
                <meta name="theme-color" content="#0b5563" />
                <AutoReload options=options.clone() />
                // The bundle loads only on pages that have an island: most pages (the home
                // page, a case, lists) need no code in the browser at all. The scripts wait in
                // a template; the loader below moves them into the page when there is an
                // island (a cloned script runs; one in a template does not).
                <template id="islands-code">
                    <HydrationScripts options islands=true />
                </template>
                <script type="module" nonce=use_nonce()>{ISLANDS_LOADER}</script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/corridor.css" />
        <Title text="Corridor" />
        <Router>
            <Layout />
        </Router>
    }
}

/// Inside the router, so that server actions see errors from no-JavaScript form posts.
/// Every route renders completely on the server before the first byte is sent (`SsrMode::Async`):
/// pages then work without JavaScript and carry the right HTTP status.
#[component]
fn Layout() -> impl IntoView {
    ui::refused::provide_above_routes();
    provide_context(AuthContext::new());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <Header />
        <AccountNotice />
        <main id="main" tabindex="-1">
            <Routes fallback=|| view! { <NotFoundPage /> }>
                <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("register") view=RegisterPage ssr=SsrMode::Async />
                <Route path=path!("verify-email") view=VerifyEmailPage ssr=SsrMode::Async />
                <Route path=path!("forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async />
                <Route path=path!("reset-password") view=ResetPasswordPage ssr=SsrMode::Async />
                <Route path=path!("invitation") view=InvitationPage ssr=SsrMode::Async />
                <Route path=path!("account") view=AccountPage ssr=SsrMode::Async />
                <Route path=path!("department/members") view=MembersAdminPage ssr=SsrMode::Async />
                <Route path=path!("department/consults") view=PoolAdminPage ssr=SsrMode::Async />
                <Route path=path!("admin/audit") view=AuditLogPage ssr=SsrMode::Async />
                <Route path=path!("cases") view=CaseListPage ssr=SsrMode::Async />
                <Route path=path!("cases/new") view=NewCasePage ssr=SsrMode::Async />
                <Route path=path!("cases/:id") view=CasePage ssr=SsrMode::Async />
                <Route path=path!("cases/:id/edit") view=EditCasePage ssr=SsrMode::Async />
                <Route path=path!("cases/:id/images") view=CaseImagesPage ssr=SsrMode::Async />
                <Route path=path!("cases/:id/images/:image_id") view=ImageEditorPage ssr=SsrMode::Async />
                <Route path=path!("cases/:id/quiz") view=QuizPage ssr=SsrMode::Async />
                <Route path=path!("cases/:id/quiz/edit") view=QuizEditorPage ssr=SsrMode::Async />
                <Route path=path!("cases/:id/quiz/preview") view=ModulePreviewPage ssr=SsrMode::Async />
                <Route path=path!("cases/:id/quiz/questions/new") view=QuestionFormPage ssr=SsrMode::Async />
                <Route path=path!("cases/:id/quiz/questions/:question_id") view=QuestionFormPage ssr=SsrMode::Async />
                <Route path=path!("cases/:id/quiz/hotspot/:image_id") view=HotspotEditorPage ssr=SsrMode::Async />
                <Route path=path!("quiz/bank") view=QuestionBankPage ssr=SsrMode::Async />
                <Route path=path!("quiz/attempts/:id/result") view=AttemptResultPage ssr=SsrMode::Async />
                <Route path=path!("quiz/attempts/:id/:n") view=AttemptPage ssr=SsrMode::Async />
                <Route path=path!("lessons/new") view=NewLessonPage ssr=SsrMode::Async />
                <Route path=path!("lessons/:id") view=CasePage ssr=SsrMode::Async />
                <Route path=path!("lessons/:id/edit") view=EditCasePage ssr=SsrMode::Async />
                <Route path=path!("mentors/:id") view=MentorPage ssr=SsrMode::Async />
                <Route path=path!("search") view=SearchPage ssr=SsrMode::Async />
                <Route path=path!("notifications") view=NotificationsPage ssr=SsrMode::Async />
                <Route path=path!("specialties/:slug") view=SpecialtyPage ssr=SsrMode::Async />
                <Route path=path!("admin") view=AdminPage ssr=SsrMode::Async />
                <Route path=path!("admin/settings") view=SettingsPage ssr=SsrMode::Async />
                <Route path=path!("cme") view=CmePage ssr=SsrMode::Async />
                <Route path=path!("verify/:id") view=VerifyPage ssr=SsrMode::Async />
                <Route path=path!("department") view=DepartmentPage ssr=SsrMode::Async />
                <Route path=path!("consults") view=ConsultsPage ssr=SsrMode::Async />
                <Route path=path!("consults/new") view=NewConsultPage ssr=SsrMode::Async />
                <Route path=path!("consults/:id") view=ConsultPage ssr=SsrMode::Async />
                <Route path=path!("consults/:id/edit") view=EditConsultPage ssr=SsrMode::Async />
            </Routes>
        </main>
        <footer class="site-footer">
            <p>"Corridor — teaching cases from the corridor, de-identified. Never post a patient's name, numbers or face."</p>
        </footer>
    }
}
