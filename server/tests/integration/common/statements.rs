//! Records the SQL statements a piece of a test runs: sqlx reports each statement it executes
//! as an event with target `sqlx::query`. `#[sqlx::test]` runs the test (and the in-process
//! server's work) on one thread, so a recorder kept for that thread sees this test only.
//!
//! One global subscriber, installed once, hands each event to the recorder of the thread it
//! happens on. (A subscriber set per thread with `set_default` lost every event now and then:
//! tests on other threads setting and dropping theirs make tracing recompute which call sites
//! anyone listens to, and a recomputation racing a new registration can switch them off.)
//!
//! The same subscriber carries the server's pool-wait layer (`server::metrics::PoolWaits`),
//! so the metrics tests see what the server's telemetry would record.
//!
//! Left out: sqlx's own look-ups of a custom type (an enum) the first time a connection meets
//! it (`SELECT oid::regtype…`, `SELECT enumlabel…`): once per connection, not per request, and
//! which pooled connection a request gets is chance.

use std::cell::RefCell;
use std::fmt::Debug;
use std::future::Future;
use std::sync::{Arc, Mutex, Once};
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

thread_local! {
    /// The recorder of the test running on this thread, while it records.
    static CURRENT: RefCell<Option<Recorder>> = const { RefCell::new(None) };
}

/// Hands `sqlx::query` events to the current thread's recorder.
struct Dispatch;

impl<S: tracing::Subscriber> Layer<S> for Dispatch {
    fn on_event(&self, event: &tracing::Event<'_>, context: Context<'_, S>) {
        let recorder = CURRENT.with(|current| current.borrow().clone());
        if let Some(recorder) = recorder {
            recorder.on_event(event, context);
        }
    }
}

pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let only_statements =
            tracing_subscriber::filter::filter_fn(|metadata| metadata.target() == "sqlx::query");
        // With the server's own pool-wait layer, as `server::telemetry` installs it.
        let subscriber = tracing_subscriber::registry()
            .with(Dispatch.with_filter(only_statements))
            .with(server::metrics::PoolWaits::layer());
        // Should another part of the suite have set one first, statements would go unseen:
        // say so rather than let a count of zero pass for a fast page.
        tracing::subscriber::set_global_default(subscriber)
            .expect("the statement recorder is the test suite's global tracing subscriber");
    });
}

/// Runs `work` and returns its output with the SQL statements it ran (their first words), in
/// order.
pub async fn recorded<F: Future>(work: F) -> (F::Output, Vec<String>) {
    install();
    let recorder = Recorder::default();
    CURRENT.with(|current| *current.borrow_mut() = Some(recorder.clone()));
    let out = work.await;
    CURRENT.with(|current| *current.borrow_mut() = None);
    let statements = recorder.0.lock().unwrap().clone();
    (out, statements)
}
