use crate::accounts::api::get_form_choices;
use crate::accounts::components::AuthContext;
use crate::accounts::FormChoices;
use crate::ui::errors::FormError;
use crate::ui::fields::{action_error, field_errors, SelectField, TextField};
use crate::ui::loader::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    let login = auth.login;
    let errors = field_errors(login);
    let next = use_query_map()
        .with_untracked(|q| q.get("next"))
        .unwrap_or_default();
    view! {
        <Title text="Sign in · Corridor" />
        <section class="narrow">
            <h1>"Sign in"</h1>
            <ActionForm action=login attr:class="stack" attr:novalidate=true>
                <FormError error=action_error(login) />
                <input type="hidden" name="next" value=next />
                <TextField name="email" label="E-mail" kind="email" errors required=true autocomplete="username" />
                <TextField name="password" label="Password" kind="password" errors required=true autocomplete="current-password" />
                <button type="submit" class="button" disabled=move || login.pending().get()>"Sign in"</button>
            </ActionForm>
            <p><A href="/forgot-password">"Forgot your password?"</A></p>
            <p>"New to Corridor? " <A href="/register">"Create an account"</A></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    let register = auth.register;
    let errors = field_errors(register);
    let choices = Resource::new_blocking(|| (), |_| get_form_choices());
    let form = move |choices: FormChoices| {
        view! {
            <ActionForm action=register attr:class="stack" attr:novalidate=true>
                <FormError error=action_error(register) />
                <TextField name="full_name" label="Full name" errors required=true autocomplete="name" />
                <TextField name="email" label="E-mail" kind="email" errors required=true autocomplete="email"
                    hint="Your work address is best." />
                <TextField name="password" label="Password" kind="password" errors required=true
                    autocomplete="new-password" hint="At least 10 characters. A short sentence works well." />
                <TextField name="designation" label="Designation" errors autocomplete="organization-title"
                    hint="For example: Junior Resident, Staff Nurse, Consultant." />
                <SelectField name="specialty" label="Specialty" errors choices=choices.specialties />
                <SelectField name="department_id" label="Institution and department" errors choices=choices.departments />
                <p class="hint">"Membership is confirmed by your hospital's e-mail domain or by the department's admin."</p>
                <SelectField name="medical_council" label="Medical council" errors choices=choices.councils />
                <TextField name="registration_number" label="Council registration number" errors />
                <button type="submit" class="button" disabled=move || register.pending().get()>"Create account"</button>
            </ActionForm>
        }
    };
    view! {
        <Title text="Create an account · Corridor" />
        <section class="narrow">
            <h1>"Create an account"</h1>
            <p class="lead">"Residents join here. Mentor accounts are granted by your site admin."</p>
            <Loaded resource=choices suspense=true children=form />
            <p>"Already have an account? " <A href="/login">"Sign in"</A></p>
        </section>
    }
}
