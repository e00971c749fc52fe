//! The question form's option rows (options of a single or multiple response question,
//! accepted answers of a short answer) and its true/false fields. Inside the form's island:
//! rows are added, removed and moved in place, and keep what was typed in them as they move
//! (each row is keyed; its fields are named by its place, as the server reads them).

use crate::error::FieldErrors;
use crate::quiz::api::{AnswerRow, MAX_ANSWERS, ROWS_KEPT, SPARE_ROWS};
use crate::quiz::{Answer, QuestionKind};
use crate::ui::fields::TextField;
use leptos::prelude::*;

/// The rows the form starts with: what was posted if the form came back (refused, or with
/// "More empty rows", which also says how many rows to show), else the stored answers and a
/// few empty rows.
pub fn initial_rows(posted: Option<&FieldErrors>, stored: &[Answer]) -> Vec<AnswerRow> {
    let refill = posted.filter(|p| !p.values.is_empty());
    let mut rows: Vec<AnswerRow> = match refill {
        Some(p) => (0..)
            .map_while(|i| {
                let field = |name: &str| p.value(&format!("answers[{i}][{name}]"));
                Some(AnswerRow {
                    text: field("text")?.to_owned(),
                    weight: field("weight").unwrap_or_default().to_owned(),
                    feedback: field("feedback").unwrap_or_default().to_owned(),
                })
            })
            .collect(),
        None => stored
            .iter()
            .map(|a| AnswerRow {
                text: a.text.clone(),
                weight: format!("{}", a.weight),
                feedback: a.feedback.clone(),
            })
            .chain((0..SPARE_ROWS).map(|_| AnswerRow::default()))
            .collect(),
    };
    let wanted = refill
        .and_then(|p| p.value(ROWS_KEPT)?.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_ANSWERS);
    if rows.len() < wanted {
        rows.resize(wanted, AnswerRow::default());
    }
    rows
}

/// A weight as typed, in per cent (empty is 0); None when it does not read.
fn weight_of(typed: &str) -> Option<f64> {
    match typed.trim() {
        "" => Some(0.0),
        w => w.trim_end_matches('%').trim().parse().ok(),
    }
}

fn is_full(typed: &str) -> bool {
    weight_of(typed).is_some_and(|w| w >= 100.0 - 1e-9)
}

/// Moves the keyboard to an element once the view has caught up with a change.
fn focus_later(id: String) {
    request_animation_frame(move || {
        use leptos::wasm_bindgen::JsCast;
        if let Some(element) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
}

/// One row, with the key that keeps its fields (and what was typed in them) as it moves.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    key: usize,
    typed: AnswerRow,
}

#[component]
pub fn AnswerRows(
    errors: Signal<Option<FieldErrors>>,
    kind: QuestionKind,
    rows: Vec<AnswerRow>,
) -> impl IntoView {
    let (legend, noun, hint) = match kind {
        QuestionKind::Single => (
            "Options",
            "option",
            "Weight 100 for the one right option, 0 (or empty) for the others.",
        ),
        QuestionKind::Multiple => (
            "Options",
            "option",
            "Weights of the right options add up to 100; wrong ones may take a negative weight (e.g. -50).",
        ),
        _ => (
            "Accepted answers",
            "answer",
            "Weight 100 for a fully right answer, less for partial credit. Case, punctuation and apostrophes are ignored; * stands for any text.",
        ),
    };
    // With JavaScript a single best answer marks its right option with a radio button, unless
    // its weights say more than right or wrong (an imported question may give partial credit).
    let radios = (kind == QuestionKind::Single
        && rows
            .iter()
            .all(|r| weight_of(&r.weight).is_some_and(|w| w.abs() < 1e-9 || is_full(&r.weight))))
    .then(|| {
        let live = RwSignal::new(false);
        // Effects run only in the browser, once the island has hydrated.
        Effect::new(move |_| live.set(true));
        Signal::from(live)
    });
    let right = RwSignal::new(rows.iter().position(|r| is_full(&r.weight)));
    let next = StoredValue::new(rows.len());
    let list = RwSignal::new(
        rows.into_iter()
            .enumerate()
            .map(|(key, typed)| Row { key, typed })
            .collect::<Vec<_>>(),
    );
    let count = Memo::new(move |_| list.with(Vec::len));
    let error = Signal::derive(move || {
        errors.with(|e| e.as_ref().and_then(|e| e.get("answers").map(str::to_owned)))
    });
    // (Comparisons stay out of `view!`, where a `>` would end the tag.)
    let full = move || count.get() >= MAX_ANSWERS;
    let add = move |_| {
        let key = next.get_value();
        next.set_value(key + 1);
        let index = list.with_untracked(Vec::len);
        list.update(|l| {
            l.push(Row {
                key,
                typed: AnswerRow::default(),
            })
        });
        focus_later(format!("answer-{index}-text"));
    };
    let with_radios = move || radios.is_some_and(|r| r.get());
    view! {
        <fieldset class="answers-fieldset" class:has-error=move || error.get().is_some()>
            <legend>{legend}</legend>
            <p class="hint">{move || if with_radios() { "Mark the one right option." } else { hint }}</p>
            <p class="field-error" id="field-answers-error" aria-live="polite">{move || error.get()}</p>
            <ol class="answer-rows">
                <For
                    each=move || list.get()
                    key=|row| row.key
                    children=move |row| view! { <OptionRow row list right radios errors noun /> }
                />
            </ol>
            <button type="button" id="add-answer" class="button secondary small js-only"
                disabled=full on:click=add>
                {format!("Add an {noun}")}
            </button>
        </fieldset>
    }
}

#[component]
fn OptionRow(
    row: Row,
    list: RwSignal<Vec<Row>>,
    right: RwSignal<Option<usize>>,
    radios: Option<Signal<bool>>,
    errors: Signal<Option<FieldErrors>>,
    noun: &'static str,
) -> impl IntoView {
    let Row { key, typed } = row;
    let index =
        Memo::new(move |_| list.with(|l| l.iter().position(|r| r.key == key).unwrap_or_default()));
    let count = Memo::new(move |_| list.with(Vec::len));
    let name = move |field: &'static str| move || format!("answers[{}][{field}]", index.get());
    let dom_id = move |field: &'static str| move || format!("answer-{}-{field}", index.get());
    let n = move || index.get() + 1;
    let label = if noun == "option" { "Option" } else { "Answer" };
    let message = Signal::derive(move || {
        let i = index.get();
        errors.with(|e| {
            e.as_ref().and_then(|e| {
                e.get(&format!("answers[{i}][text]"))
                    .or_else(|| e.get(&format!("answers[{i}][weight]")))
                    .map(str::to_owned)
            })
        })
    });
    let shift = move |up: bool| {
        let i = index.get_untracked();
        let last = count.get_untracked().saturating_sub(1);
        let to = if up {
            i.checked_sub(1)
        } else {
            (i < last).then_some(i + 1)
        };
        if let Some(to) = to {
            list.update(|l| l.swap(i, to));
            // The pressed button went with its row; at the end of the list it is disabled, so
            // the keyboard goes to its other arrow.
            let button = match (up, to) {
                (true, 0) => "down",
                (true, _) => "up",
                (false, to) if to == last => "up",
                (false, _) => "down",
            };
            focus_later(format!("answer-{to}-{button}"));
        }
    };
    let remove = move |_| {
        let i = index.get_untracked();
        list.update(|l| l.retain(|r| r.key != key));
        if right.get_untracked() == Some(key) {
            right.set(None);
        }
        let left = list.with_untracked(Vec::len);
        focus_later(format!("answer-{}-text", i.min(left.saturating_sub(1))));
    };
    // (Comparisons stay out of `view!`, where a `>` would end the tag.)
    let first = move || index.get() == 0;
    let last = move || index.get() + 1 >= count.get();
    let alone = move || count.get() <= 1;
    let weight = typed.weight;
    let weight_field = move || {
        view! {
            <label for=dom_id("weight")>{move || format!("Weight of {noun} {} (%)", n())}</label>
            <input id=dom_id("weight") name=name("weight") type="text" inputmode="decimal" size="5"
                value=weight.clone() />
        }
    };
    let weight_or_radio = match radios {
        None => weight_field().into_any(),
        Some(radios) => (move || {
            if radios.get() {
                view! {
                    <label class="choice">
                        <input type="radio" name="right" id=dom_id("right")
                            prop:checked=move || right.get() == Some(key)
                            on:change=move |_| right.set(Some(key)) />
                        {move || format!("{label} {} is the right answer", n())}
                    </label>
                    <input type="hidden" name=name("weight")
                        value=move || if right.get() == Some(key) { "100" } else { "0" } />
                }
                .into_any()
            } else {
                weight_field().into_any()
            }
        })
        .into_any(),
    };
    view! {
        <li class="answer-row field" class:has-error=move || message.get().is_some()>
            <label for=dom_id("text")>{move || format!("{label} {}", n())}</label>
            <input id=dom_id("text") name=name("text") type="text" value=typed.text />
            {weight_or_radio}
            <label for=dom_id("feedback")>{move || format!("Feedback on {noun} {}", n())}</label>
            <input id=dom_id("feedback") name=name("feedback") type="text" value=typed.feedback />
            <p class="field-error" aria-live="polite">{move || message.get()}</p>
            <div class="row-tools js-only">
                <button type="button" class="button secondary small" id=dom_id("up")
                    aria-label=move || format!("Move {noun} {} up", n())
                    disabled=first on:click=move |_| shift(true)>"Up"</button>
                <button type="button" class="button secondary small" id=dom_id("down")
                    aria-label=move || format!("Move {noun} {} down", n())
                    disabled=last on:click=move |_| shift(false)>"Down"</button>
                <button type="button" class="button secondary small" id=dom_id("remove")
                    aria-label=move || format!("Remove {noun} {}", n())
                    disabled=alone on:click=remove>"Remove"</button>
            </div>
        </li>
    }
}

#[component]
pub fn TruthFields(
    errors: Signal<Option<FieldErrors>>,
    truth: Option<bool>,
    feedback_true: Option<String>,
    feedback_false: Option<String>,
) -> impl IntoView {
    let posted = errors.with_untracked(|e| {
        e.as_ref()
            .and_then(|e| e.value("truth"))
            .map(|v| v == "true")
    });
    let truth = posted.or(truth);
    let error = Signal::derive(move || {
        errors.with(|e| e.as_ref().and_then(|e| e.get("truth").map(str::to_owned)))
    });
    view! {
        <fieldset class="field" class:has-error=move || error.get().is_some()>
            <legend>"The statement is"</legend>
            <label><input type="radio" name="truth" value="true" checked=truth == Some(true) />" True"</label>
            <label><input type="radio" name="truth" value="false" checked=truth == Some(false) />" False"</label>
            <p class="field-error" id="field-truth-error" aria-live="polite">{move || error.get()}</p>
        </fieldset>
        <TextField name="feedback_true" label="Feedback when the learner says true" errors value=feedback_true />
        <TextField name="feedback_false" label="Feedback when the learner says false" errors value=feedback_false />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(text: &str, weight: f64) -> Answer {
        Answer {
            text: text.into(),
            weight,
            feedback: String::new(),
        }
    }

    #[test]
    fn stored_answers_come_with_empty_rows() {
        let rows = initial_rows(None, &[answer("A", 100.0), answer("B", 0.0)]);
        assert_eq!(rows.len(), 2 + SPARE_ROWS);
        assert_eq!(rows[0].text, "A");
        assert_eq!(rows[0].weight, "100");
        assert_eq!(rows[2], AnswerRow::default());
    }

    #[test]
    fn a_form_sent_back_keeps_what_was_typed_and_grows_as_asked() {
        let posted = FieldErrors::new().with_values(&[
            ("answers[0][text]", "Typed"),
            ("answers[0][weight]", "50"),
            ("answers[0][feedback]", "Why"),
            ("answers[1][text]", ""),
            ("answers[1][weight]", ""),
            ("answers[1][feedback]", ""),
            (ROWS_KEPT, "5"),
        ]);
        let rows = initial_rows(Some(&posted), &[answer("Stored", 100.0)]);
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0].text, "Typed");
        assert_eq!(rows[0].weight, "50");
        assert_eq!(rows[0].feedback, "Why");
        assert!(rows[1..].iter().all(|r| *r == AnswerRow::default()));
        // A refusal without a row count shows the rows as they were posted.
        let refused = FieldErrors::new().with_values(&[("answers[0][text]", "Only")]);
        assert_eq!(initial_rows(Some(&refused), &[]).len(), 1);
    }

    #[test]
    fn weights_read_as_typed() {
        assert_eq!(weight_of(""), Some(0.0));
        assert_eq!(weight_of("50 %"), Some(50.0));
        assert_eq!(weight_of("lots"), None);
        assert!(is_full("100") && !is_full("99"));
    }
}
