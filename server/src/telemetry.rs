//! Logging: `RUST_LOG`-style filtering, human-readable or JSON lines; and the layer that turns
//! the database pool's acquire events into a metric (`metrics::PoolWaits`), which sees them
//! whatever the log's filter prints.

use crate::config::LogFormat;
use crate::metrics::PoolWaits;
use tracing_subscriber::{fmt, prelude::*, EnvFilter, Layer};

pub fn init(format: LogFormat) {
    let filter = || {
        EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"))
    };
    let registry = tracing_subscriber::registry().with(PoolWaits::layer());
    // `try_init`: a second initialisation (as in tests) is not an error worth dying for.
    let _ = match format {
        LogFormat::Pretty => registry
            .with(fmt::layer().compact().with_filter(filter()))
            .try_init(),
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_filter(filter()),
            )
            .try_init(),
    };
}
