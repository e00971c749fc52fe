//! `server` — runs Corridor, or performs an operator task.
//!
//!   server                      serve (the default)
//!   server migrate              apply database migrations and exit
//!   server phi-scan [FILE]      print patient identifiers found in FILE (or stdin) as JSON lines
//!   server gift-check FILE      parse a Moodle GIFT quiz file without importing it
//!   server moodle-check FILE    parse a Moodle XML question file without importing it
//!   server create-admin --email E --name "Full Name"
//!                               create (or promote) a site admin; the password is read from the
//!                               first line of standard input, or generated and printed once

use secrecy::ExposeSecret;
use server::config::Config;
use std::process::ExitCode;

const USAGE: &str = "usage:
  server                      serve Corridor (settings from environment variables)
  server migrate              apply database migrations and exit
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

async fn serve(config: Config) -> Result<(), String> {
    let pool = prepare(&config).await?;
    let mut settings =
        server::Settings::new(&config.site_root, config.cookie_secure, config.trust_proxy);
    settings.media = match &config.media {
        server::config::MediaStore::Local(dir) => server::local_media(dir, config.upload_max_bytes)
            .map_err(|e| format!("media directory {}: {e}", dir.display()))?,
        server::config::MediaStore::S3 { bucket } => {
            server::s3_media(bucket, config.upload_max_bytes)
                .map_err(|e| format!("S3 bucket {bucket}: {e}"))?
        }
    };
    settings.public_url = config.public_url.clone();
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
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"))
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
    tracing::info!("shutting down");
}

async fn migrate_only(config: Config) -> Result<(), String> {
    prepare(&config).await?;
    println!("migrations applied");
    Ok(())
}
