//! `/admin/audit`: the audit log, newest first, filtered by action, with a CSV export.

use crate::audit::api::{get_audit, AuditPage as AuditData};
use crate::ui::loader::Loaded;
use crate::util::url_encode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

/// `/admin/audit`: newest first, filtered by action, a page at a time; CSV export beside it.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let log = Resource::new_blocking(
        move || query.with(|q| (q.get("action"), q.get("before"))),
        |(action, before)| get_audit(action, before),
    );
    let action = move || query.with(|q| q.get("action")).unwrap_or_default();
    view! {
        <Title text="Audit log · Corridor" />
        <h1>"Audit log"</h1>
        <form method="get" action="/admin/audit" class="inline-form">
            <label for="audit-action">"Action starts with"</label>
            <input id="audit-action" name="action" type="text" value=action placeholder="e.g. membership or sign_in" />
            <button type="submit" class="button small secondary">"Filter"</button>
        </form>
        <Loaded resource=log let:data>
            <AuditTable data action=action() />
        </Loaded>
    }
}

#[component]
fn AuditTable(data: AuditData, action: String) -> impl IntoView {
    let AuditData {
        entries,
        next,
        department,
    } = data;
    let csv = format!("/admin/audit.csv?action={}", url_encode(&action));
    view! {
        <p class="lede">{department.unwrap_or_else(|| "Whole site".into())} " · "
            <a href=csv download>"Export CSV"</a></p>
        {if entries.is_empty() {
            view! { <p class="empty">"No entries."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="data">
                        <thead><tr>
                            <th scope="col">"When (IST)"</th><th scope="col">"Action"</th>
                            <th scope="col">"By"</th><th scope="col">"About"</th>
                            <th scope="col">"Detail"</th><th scope="col">"Address"</th>
                        </tr></thead>
                        <tbody>
                            {entries.into_iter().map(|e| view! {
                                <tr>
                                    <td>{crate::util::format_datetime(e.at)}</td>
                                    <td><code>{e.action}</code></td>
                                    <td>{e.actor_name.unwrap_or_else(|| "—".into())}</td>
                                    <td>{e.subject_name.or(e.target).unwrap_or_else(|| "—".into())}</td>
                                    <td>{e.detail.unwrap_or_default()}</td>
                                    <td>{e.ip.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {next.map(|cursor| view! {
            <p><A href=format!("/admin/audit?action={}&before={}", url_encode(&action), url_encode(&cursor))>"Older entries"</A></p>
        })}
    }
}
