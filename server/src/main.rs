//! `server` — runs Corridor, or performs an operator task.
//!
//!   server                      serve (the default)
//!   server migrate              apply database migrations and exit
//!   server seed-demo            apply migrations and load the demo data, then exit
//!   server backup DIR           write DIR/corridor-<UTC time>/: database dump, images, manifest
//!   server restore DIR [--force]
//!                               restore such a folder into an empty database and image store
//!   server phi-scan [FILE]      print patient identifiers found in FILE (or stdin) as JSON lines
//!   server gift-check FILE      parse a Moodle GIFT quiz file without importing it
//!   server moodle-check FILE    parse a Moodle XML question file without importing it
//!   server create-admin --email E --name "Full Name"
//!                               create (or promote) a site admin; the password is read from the
//!                               first line of standard input, or generated and printed once

use secrecy::ExposeSecret;

/// mimalloc instead of glibc's malloc: server-side rendering allocates and frees many small
/// strings per request from many threads, where glibc's allocator was a fifth of the CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use server::config::Config;
use std::process::ExitCode;

const USAGE: &str = "usage:
  server                      serve Corridor (settings from environment variables)
  server migrate              apply database migrations and exit
  server seed-demo            apply migrations and load the demo data (idempotent), then exit
  server backup DIR           write one consistent backup to DIR/corridor-YYYYmmddTHHMMSSZ/:
                              db.dump (pg_dump custom format), images/ (the image store) and
                              manifest.json (row counts, ledger sums, SHA-256 of every file)
  server restore DIR [--force]
                              restore a backup folder into the configured database and image
                              store, which must be empty (--force replaces what they hold)
  server phi-scan [FILE]      print patient identifiers found in FILE (or stdin, also for -)
                              as JSON lines; exit 1 if any were found, 0 if none, 2 on error
  server gift-check FILE      parse a Moodle GIFT file (- for stdin) without importing it: one
                              JSON line per question or error; exit 0 when it parsed cleanly
  server moodle-check FILE    the same for a Moodle XML question file (- for stdin): one JSON
                              line per question or error; exit 0 when it parsed cleanly, 1 when
                              it has errors, 2 when it cannot be read
  server create-admin --email ADDRESS --name \"Full Name\"
                              create or promote a site admin; the password is read from the
                              first line of standard input, or generated and printed once";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Commands that need no database or configuration.
    if args.first().map(String::as_str) == Some("phi-scan") {
        return server::cli::phi_scan::run(args.get(1).map(String::as_str));
    }
    if args.first().map(String::as_str) == Some("gift-check") {
        return server::cli::gift_check::run(args.get(1).map(String::as_str));
    }
    if args.first().map(String::as_str) == Some("moodle-check") {
        return server::cli::moodle_check::run(args.get(1).map(String::as_str));
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("corridor: {error}");
            return ExitCode::from(2);
        }
    };
    server::telemetry::init(config.log_format);
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve(config).await,
        Some("migrate") => migrate_only(config).await,
        Some("seed-demo") => seed_demo(config).await,
        Some("backup") => match args.get(1) {
            Some(dir) if args.len() == 2 => backup(config, dir).await,
            _ => Err("usage: server backup DIR".into()),
        },
        Some("restore") => match (args.get(1), args.get(2).map(String::as_str)) {
            (Some(dir), None) if dir != "--force" => restore(config, dir, false).await,
            (Some(dir), Some("--force")) if args.len() == 3 => restore(config, dir, true).await,
            _ => Err("usage: server restore DIR [--force]".into()),
        },
        Some("create-admin") => match server::cli::create_admin::Request::from_args(&args[1..]) {
            Ok(request) => match prepare(&config).await {
                Ok(pool) => server::cli::create_admin::run(&pool, request).await,
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        },
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}; try `server help`")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("corridor: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn prepare(config: &Config) -> Result<sqlx::PgPool, String> {
    let pool = server::connect(
        config.database_url.expose_secret(),
        config.db_max_connections,
    )
    .await
    .map_err(|e| e.to_string())?;
    server::migrate(&pool).await.map_err(|e| e.to_string())?;
    Ok(pool)
}

/// The configured image store: a local directory or an S3-compatible bucket.
fn media(config: &Config) -> Result<app::media::store::Media, String> {
    match &config.media {
        server::config::MediaStore::Local(dir) => server::local_media(dir, config.upload_max_bytes)
            .map_err(|e| format!("media directory {}: {e}", dir.display())),
        server::config::MediaStore::S3 { bucket } => {
            server::s3_media(bucket, config.upload_max_bytes)
                .map_err(|e| format!("S3 bucket {bucket}: {e}"))
        }
    }
}

/// A pool without migrating: a backup takes the database as it is, a restore needs it empty.
async fn connect_only(config: &Config) -> Result<sqlx::PgPool, String> {
    server::connect(config.database_url.expose_secret(), 2)
        .await
        .map_err(|e| e.to_string())
}

async fn seed_demo(config: Config) -> Result<(), String> {
    let pool = prepare(&config).await?;
    server::demo::seed(&pool, &media(&config)?)
        .await
        .map_err(|e| format!("demo data: {e}"))?;
    println!("demo data loaded");
    Ok(())
}

async fn backup(config: Config, dir: &str) -> Result<(), String> {
    let pool = connect_only(&config).await?;
    let done = server::cli::backup::backup(
        &pool,
        config.database_url.expose_secret(),
        &media(&config)?,
        std::path::Path::new(dir),
    )
    .await?;
    println!("{}", done.display());
    Ok(())
}

async fn restore(config: Config, dir: &str, force: bool) -> Result<(), String> {
    let pool = connect_only(&config).await?;
    let restored = server::cli::backup::restore(
        &pool,
        config.database_url.expose_secret(),
        &media(&config)?,
        std::path::Path::new(dir),
        force,
    )
    .await?;
    println!(
        "restored {} tables ({} rows) and {} images; row counts match the manifest",
        restored.tables, restored.rows, restored.images
    );
    Ok(())
}

async fn serve(config: Config) -> Result<(), String> {
    let pool = prepare(&config).await?;
    let mut settings =
        server::Settings::new(&config.site_root, config.cookie_secure, config.trust_proxy);
    settings.media = media(&config)?;
    settings.public_url = config.public_url.clone();
    settings.metrics_token = config.metrics_token.clone();
    tracing::info!(media = ?settings.media, "image store ready");
    if config.demo_data {
        server::demo::seed(&pool, &settings.media)
            .await
            .map_err(|e| format!("demo data: {e}"))?;
    }
    settings.mailer = match &config.mail.smtp_url {
        Some(url) => app::ssr::mail::Mailer::smtp(url.expose_secret(), &config.mail.from)
            .map_err(|e| format!("CORRIDOR_SMTP_URL / CORRIDOR_MAIL_FROM: {e}"))?,
        None => {
            let outbox = &config.mail.outbox;
            std::fs::create_dir_all(outbox)
                .map_err(|e| format!("outbox {}: {e}", outbox.display()))?;
            let dir = outbox.canonicalize().unwrap_or_else(|_| outbox.clone());
            tracing::warn!(
                outbox = %dir.display(),
                "CORRIDOR_SMTP_URL is not set: mail is written to the outbox folder instead of being sent"
            );
            app::ssr::mail::Mailer::outbox(dir, &config.mail.from)
                .map_err(|e| format!("CORRIDOR_MAIL_FROM: {e}"))?
        }
    };
    let chores = server::Chores {
        audit_retention_days: config.audit_retention_days,
        consult_retention_days: config.consult_retention_days,
        mailer: Some(settings.mailer.clone()),
        public_url: config.public_url.clone(),
        media: settings.media.clone(),
    };
    let router = server::router(pool.clone(), settings)
        .await
        .map_err(|e| e.to_string())?;
    server::spawn_housekeeping(pool.clone(), chores);

    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    tracing::info!("Corridor is listening on http://{}", config.listen);
    // On SIGTERM or Ctrl-C axum stops accepting (the listening socket is closed) and waits for
    // the requests in flight; they get `shutdown_grace` to finish, then the server exits anyway.
    use std::future::IntoFuture as _;
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = stopping.send(());
    })
    .into_future();
    let grace = config.shutdown_grace;
    let result = tokio::select! {
        result = serving => result.map_err(|e| format!("server error: {e}")),
        _ = async {
            if stopped.await.is_ok() {
                tokio::time::sleep(grace).await;
            } else {
                std::future::pending::<()>().await;
            }
        } => {
            tracing::warn!(
                grace_seconds = grace.as_secs(),
                "requests still in flight after the shutdown grace period; stopping anyway"
            );
            Ok(())
        }
    };
    pool.close().await;
    tracing::info!("stopped");
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    result
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down: no new connections; finishing the requests in flight");
}

async fn migrate_only(config: Config) -> Result<(), String> {
    prepare(&config).await?;
    println!("migrations applied");
    Ok(())
}
