//! Records the SQL statements a piece of a test runs: sqlx reports each statement it executes
//! as an event with target `sqlx::query`. `#[sqlx::test]` runs the test (and the in-process
//! server's work) on one thread, so a subscriber set for that thread sees this test only.
//!
//! Left out: sqlx's own look-ups of a custom type (an enum) the first time a connection meets
//! it (`SELECT oid::regtype…`, `SELECT enumlabel…`): once per connection, not per request, and
//! which pooled connection a request gets is chance.

use std::fmt::Debug;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

/// The event's `summary` field: the statement's first words.
struct Summary(String);

impl Visit for Summary {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "summary" {
            self.0 = value.to_owned();
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        if field.name() == "summary" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for Recorder {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            let mut summary = Summary(String::new());
            event.record(&mut summary);
            let type_lookup = ["SELECT oid::regtype", "SELECT enumlabel"]
                .iter()
                .any(|p| summary.0.starts_with(p));
            if !type_lookup {
                self.0.lock().unwrap().push(summary.0);
            }
        }
    }
}

/// Runs `work` and returns its output with the SQL statements it ran (their first words), in
/// order.
pub async fn recorded<F: Future>(work: F) -> (F::Output, Vec<String>) {
    let recorder = Recorder::default();
    let guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(recorder.clone()));
    let out = work.await;
    drop(guard);
    let statements = recorder.0.lock().unwrap().clone();
    (out, statements)
}
