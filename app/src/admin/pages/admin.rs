use crate::accounts::api::get_form_choices;
use crate::accounts::{FormChoices, Role};
use crate::admin::api::{admin_users, AddDepartment, SetUserRole};
use crate::admin::AdminUser;
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, TextField};
use crate::ui::loader::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminPage() -> impl IntoView {
    let set_role = ServerAction::<SetUserRole>::new();
    let users = Resource::new_blocking(move || set_role.version().get(), |_| admin_users());
    let error = action_error(set_role);
    view! {
        <Title text="Admin · Corridor" />
        <h1>"People and roles"</h1>
        <p class="lead">"Grant mentor or department-admin roles. Site admins are created from the command line."</p>
        <FormError error />
        <Loaded resource=users let:users>
            <UserTable users set_role />
        </Loaded>
        <Departments />
    }
}

#[component]
fn Departments() -> impl IntoView {
    let add = ServerAction::<AddDepartment>::new();
    let errors = field_errors(add);
    let choices = Resource::new_blocking(move || add.version().get(), |_| get_form_choices());
    let list = |choices: FormChoices| {
        if choices.departments.is_empty() {
            view! { <p class="empty">"No departments yet: add the first below."</p> }.into_any()
        } else {
            view! {
                <ul>{choices.departments.into_iter().map(|d| view! { <li>{d.label}</li> }).collect_view()}</ul>
            }
            .into_any()
        }
    };
    view! {
        <section aria-labelledby="departments-h">
            <h2 id="departments-h">"Institutions and departments"</h2>
            <Loaded resource=choices children=list />
            <ActionForm action=add attr:class="stack narrow" attr:novalidate=true>
                <FormError error=action_error(add) />
                <TextField name="institution" label="Institution" errors required=true />
                <TextField name="city" label="City" errors />
                <TextField name="department" label="Department" errors required=true />
                <button type="submit" class="button">"Add department"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn UserTable(users: Vec<AdminUser>, set_role: ServerAction<SetUserRole>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table>
                <caption class="visually-hidden">"Users and their roles"</caption>
                <thead>
                    <tr><th scope="col">"Name"</th><th scope="col">"Department"</th><th scope="col">"Role"</th></tr>
                </thead>
                <tbody>
                    {users.into_iter().map(|user| {
                        let select_id = format!("role-{}", user.id);
                        let editable = user.role != Role::SiteAdmin;
                        view! {
                            <tr>
                                <td>{user.full_name.clone()}<br /><span class="meta">{user.email.clone()}</span></td>
                                <td>{user.department.clone().unwrap_or_default()}</td>
                                <td>
                                    {if editable {
                                        view! {
                                            <ActionForm action=set_role attr:class="inline role-form">
                                                <input type="hidden" name="user_id" value=user.id />
                                                <label class="visually-hidden" for=select_id.clone()>{format!("Role of {}", user.full_name)}</label>
                                                <select id=select_id name="role">
                                                    {[Role::Resident, Role::Mentor, Role::DepartmentAdmin].into_iter().map(|r| view! {
                                                        <option value=r.as_str() selected=r == user.role>{r.label()}</option>
                                                    }).collect_view()}
                                                </select>
                                                <button type="submit" class="button small">"Save"</button>
                                            </ActionForm>
                                        }.into_any()
                                    } else {
                                        view! { <span>{user.role.label()}</span> }.into_any()
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
