use crate::error::{AppError, FieldErrors};
use crate::util::Choice;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The field errors of an action's latest result, if it failed validation.
pub fn field_errors<S>(action: ServerAction<S>) -> Signal<Option<FieldErrors>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || {
        action.value().with(|v| match v {
            Some(Err(AppError::Invalid(errors))) => Some(errors.clone()),
            _ => None,
        })
    })
}

/// The error of an action's latest result, for the message at the top of its form.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || {
        action
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
    })
}

/// What to show in a field: what was just submitted (after an error), else the stored value.
fn initial(errors: &Signal<Option<FieldErrors>>, name: &str, fallback: Option<String>) -> String {
    errors
        .with_untracked(|e| e.as_ref().and_then(|e| e.value(name)).map(str::to_owned))
        .or(fallback)
        .unwrap_or_default()
}

fn message(
    errors: Signal<Option<FieldErrors>>,
    name: String,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let name = StoredValue::new(name);
    move || {
        errors.with(|e| {
            e.as_ref()
                .and_then(|e| e.get(&name.get_value()).map(str::to_owned))
        })
    }
}

#[component]
fn FieldMessage(id: String, #[prop(into)] text: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="field-error" id=id aria-live="polite">
            {move || text.get()}
        </p>
    }
}

#[component]
pub fn TextField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    errors: Signal<Option<FieldErrors>>,
    #[prop(into, default = "text".to_string())] kind: String,
    #[prop(into, default = None)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] autocomplete: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional)] node_ref: Option<NodeRef<leptos::html::Input>>,
) -> impl IntoView {
    let node_ref = node_ref.unwrap_or_default();
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let value = if kind == "password" {
        String::new()
    } else {
        initial(&errors, &name, value)
    };
    let msg = message(errors, name.clone());
    let described = if hint.is_some() {
        format!("{error_id} {hint_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field" class:has-error=move || msg().is_some()>
            <label for=id.clone()>{label} {(!required).then(|| view! { <span class="optional">" (optional)"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                autocomplete=autocomplete
                maxlength=maxlength
                node_ref=node_ref
                aria-invalid=move || if msg().is_some() { "true" } else { "false" }
                aria-describedby=described
            />
            <FieldMessage id=error_id text=Signal::derive(msg) />
        </div>
    }
}

#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    errors: Signal<Option<FieldErrors>>,
    #[prop(into, default = None)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(default = 4)] rows: u32,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] node_ref: Option<NodeRef<leptos::html::Textarea>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let value = initial(&errors, &name, value);
    let msg = message(errors, name.clone());
    let described = format!("{error_id} {hint_id}");
    let node_ref = node_ref.unwrap_or_default();
    view! {
        <div class="field" class:has-error=move || msg().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <textarea
                id=id
                name=name
                rows=rows
                required=required
                node_ref=node_ref
                aria-invalid=move || if msg().is_some() { "true" } else { "false" }
                aria-describedby=described
            >
                {value}
            </textarea>
            <FieldMessage id=error_id text=Signal::derive(msg) />
        </div>
    }
}

#[component]
pub fn SelectField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    errors: Signal<Option<FieldErrors>>,
    choices: Vec<Choice>,
    #[prop(into, default = None)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(into, default = "Choose…".to_string())] placeholder: String,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let selected = initial(&errors, &name, value);
    let msg = message(errors, name.clone());
    view! {
        <div class="field" class:has-error=move || msg().is_some()>
            <label for=id.clone()>{label} {(!required).then(|| view! { <span class="optional">" (optional)"</span> })}</label>
            <select
                id=id
                name=name
                required=required
                aria-invalid=move || if msg().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
            >
                <option value="" selected=selected.is_empty()>{placeholder}</option>
                {choices
                    .into_iter()
                    .map(|c| {
                        let is_selected = c.value == selected;
                        view! { <option value=c.value selected=is_selected>{c.label}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldMessage id=error_id text=Signal::derive(msg) />
        </div>
    }
}
