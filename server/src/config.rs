//! Configuration from environment variables. Every variable has a default except DATABASE_URL.

use secrecy::SecretString;
use std::net::SocketAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// The server's settings. `Debug` never prints the database URL (it may carry a password).
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database_url: SecretString,
    pub db_max_connections: u32,
    pub cookie_secure: bool,
    pub log_format: LogFormat,
    pub demo_data: bool,
    pub trust_proxy: bool,
    pub site_root: String,
    pub media: MediaStore,
    pub upload_max_bytes: usize,
    pub mail: MailConfig,
    /// `CORRIDOR_PUBLIC_URL`: the address people reach the site at, printed on certificates
    /// and required of state-changing requests' `Origin`.
    pub public_url: app::ssr::public_url::PublicUrl,
    /// Days the audit log is kept (`CORRIDOR_AUDIT_RETENTION_DAYS`, default 365).
    pub audit_retention_days: i32,
    /// Days a consult's clinical text is kept after the consult ended
    /// (`CORRIDOR_CONSULT_RETENTION_DAYS`, default 1095: three years); its record stays.
    pub consult_retention_days: i32,
    /// `CORRIDOR_METRICS_TOKEN`: the bearer token `GET /metrics` answers; unset, there is no
    /// `/metrics` (404).
    pub metrics_token: Option<SecretString>,
    /// `CORRIDOR_SHUTDOWN_GRACE_SECONDS` (default 20): how long requests in flight may take to
    /// finish after SIGTERM or Ctrl-C before the server exits anyway.
    pub shutdown_grace: std::time::Duration,
}

/// Where mail goes. `Debug` never prints the SMTP URL (it may carry a password).
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `CORRIDOR_SMTP_URL`, e.g. `smtp://user:pass@mail.hospital.in:587?tls=required`.
    pub smtp_url: Option<SecretString>,
    /// `CORRIDOR_MAIL_FROM`, e.g. `Corridor <corridor@hospital.in>`.
    pub from: String,
    /// `CORRIDOR_OUTBOX_DIR`: where mail is written as `.eml` files when no SMTP URL is set.
    pub outbox: std::path::PathBuf,
}

/// Where case images are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaStore {
    /// A local directory (`CORRIDOR_MEDIA_DIR`, default `data/media`).
    Local(std::path::PathBuf),
    /// An S3-compatible bucket (`CORRIDOR_S3_BUCKET`), shared by several app servers.
    S3 { bucket: String },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("DATABASE_URL is not set; point it at PostgreSQL (the run script starts one for you)")]
    MissingDatabaseUrl,
    #[error("{name} has an invalid value {value:?}: {expected}")]
    Invalid {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
}

fn parse_bool(
    name: &'static str,
    value: Option<String>,
    default: bool,
) -> Result<bool, ConfigError> {
    match value
        .as_deref()
        .map(str::trim)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(ConfigError::Invalid {
            name,
            value: other.to_owned(),
            expected: "true or false",
        }),
    }
}

/// `CORRIDOR_PUBLIC_URL`, or the listening address when it is not set (right for a server
/// reached directly, as in development).
fn public_url(
    value: Option<String>,
    listen: &str,
) -> Result<app::ssr::public_url::PublicUrl, ConfigError> {
    let raw = value
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| format!("http://{listen}"));
    app::ssr::public_url::PublicUrl::parse(&raw).map_err(|expected| ConfigError::Invalid {
        name: "CORRIDOR_PUBLIC_URL",
        value: raw,
        expected,
    })
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can supply their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let listen_raw = lookup("CORRIDOR_LISTEN")
            .or_else(|| lookup("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let listen = listen_raw.parse().map_err(|_| ConfigError::Invalid {
            name: "CORRIDOR_LISTEN",
            value: listen_raw.clone(),
            expected: "an address and port such as 127.0.0.1:3000",
        })?;
        let database_url = lookup("DATABASE_URL")
            .filter(|v| !v.trim().is_empty())
            .ok_or(ConfigError::MissingDatabaseUrl)?;
        let log_format = match lookup("CORRIDOR_LOG_FORMAT").as_deref() {
            None | Some("") | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "CORRIDOR_LOG_FORMAT",
                    value: other.to_owned(),
                    expected: "pretty or json",
                })
            }
        };
        let max_raw = lookup("CORRIDOR_DB_MAX_CONNECTIONS").unwrap_or_else(|| "10".into());
        let db_max_connections =
            max_raw
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or(ConfigError::Invalid {
                    name: "CORRIDOR_DB_MAX_CONNECTIONS",
                    value: max_raw,
                    expected: "a positive whole number",
                })?;
        let public_url = public_url(lookup("CORRIDOR_PUBLIC_URL"), &listen_raw)?;
        let metrics_token = match lookup("CORRIDOR_METRICS_TOKEN").map(|t| t.trim().to_owned()) {
            None => None,
            Some(t) if t.is_empty() => None,
            // Short tokens can be guessed; the value is never echoed back.
            Some(t) if t.len() < 16 || t.contains(char::is_whitespace) => {
                return Err(ConfigError::Invalid {
                    name: "CORRIDOR_METRICS_TOKEN",
                    value: "(hidden)".into(),
                    expected:
                        "at least 16 characters without spaces, e.g. from `openssl rand -hex 32`",
                })
            }
            Some(t) => Some(SecretString::from(t)),
        };
        let shutdown_grace = {
            let raw = lookup("CORRIDOR_SHUTDOWN_GRACE_SECONDS").unwrap_or_else(|| "20".into());
            raw.trim()
                .parse::<u64>()
                .ok()
                .filter(|s| *s <= 3600)
                .map(std::time::Duration::from_secs)
                .ok_or(ConfigError::Invalid {
                    name: "CORRIDOR_SHUTDOWN_GRACE_SECONDS",
                    value: raw,
                    expected: "a whole number of seconds from 0 to 3600",
                })?
        };
        Ok(Self {
            metrics_token,
            shutdown_grace,
            public_url,
            listen,
            database_url: SecretString::from(database_url),
            db_max_connections,
            cookie_secure: parse_bool(
                "CORRIDOR_COOKIE_SECURE",
                lookup("CORRIDOR_COOKIE_SECURE"),
                false,
            )?,
            log_format,
            demo_data: parse_bool("CORRIDOR_DEMO_DATA", lookup("CORRIDOR_DEMO_DATA"), false)?,
            trust_proxy: parse_bool(
                "CORRIDOR_TRUST_PROXY",
                lookup("CORRIDOR_TRUST_PROXY"),
                false,
            )?,
            site_root: lookup("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            media: match lookup("CORRIDOR_S3_BUCKET").filter(|b| !b.trim().is_empty()) {
                Some(bucket) => MediaStore::S3 {
                    bucket: bucket.trim().to_owned(),
                },
                None => MediaStore::Local(
                    lookup("CORRIDOR_MEDIA_DIR")
                        .filter(|d| !d.trim().is_empty())
                        .unwrap_or_else(|| "data/media".into())
                        .into(),
                ),
            },
            upload_max_bytes: {
                let raw = lookup("CORRIDOR_UPLOAD_MAX_MB").unwrap_or_else(|| "10".into());
                raw.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|mb| (1..=100).contains(mb))
                    .map(|mb| mb * 1024 * 1024)
                    .ok_or(ConfigError::Invalid {
                        name: "CORRIDOR_UPLOAD_MAX_MB",
                        value: raw,
                        expected: "a whole number of megabytes from 1 to 100",
                    })?
            },
            mail: MailConfig {
                smtp_url: lookup("CORRIDOR_SMTP_URL")
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| SecretString::from(v.trim().to_owned())),
                from: lookup("CORRIDOR_MAIL_FROM")
                    .filter(|v| !v.trim().is_empty())
                    .unwrap_or_else(|| "Corridor <corridor@localhost>".into()),
                outbox: lookup("CORRIDOR_OUTBOX_DIR")
                    .filter(|v| !v.trim().is_empty())
                    .unwrap_or_else(|| "data/outbox".into())
                    .into(),
            },
            audit_retention_days: {
                let raw = lookup("CORRIDOR_AUDIT_RETENTION_DAYS").unwrap_or_else(|| "365".into());
                raw.trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|d| (30..=3650).contains(d))
                    .ok_or(ConfigError::Invalid {
                        name: "CORRIDOR_AUDIT_RETENTION_DAYS",
                        value: raw,
                        expected: "a whole number of days from 30 to 3650",
                    })?
            },
            consult_retention_days: {
                let raw =
                    lookup("CORRIDOR_CONSULT_RETENTION_DAYS").unwrap_or_else(|| "1095".into());
                raw.trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|d| (30..=7300).contains(d))
                    .ok_or(ConfigError::Invalid {
                        name: "CORRIDOR_CONSULT_RETENTION_DAYS",
                        value: raw,
                        expected: "a whole number of days from 30 to 7300",
                    })?
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults() {
        let c = config(&[("DATABASE_URL", "postgres://u:secret@db/corridor")]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:3000");
        assert!(!c.cookie_secure && !c.demo_data && !c.trust_proxy);
        assert_eq!(c.log_format, LogFormat::Pretty);
        assert_eq!(c.media, MediaStore::Local("data/media".into()));
        assert_eq!(c.upload_max_bytes, 10 * 1024 * 1024);
        assert_eq!(
            c.database_url.expose_secret(),
            "postgres://u:secret@db/corridor"
        );
    }

    #[test]
    fn debug_hides_the_database_password() {
        let c = config(&[("DATABASE_URL", "postgres://u:secret@db/corridor")]).unwrap();
        assert!(!format!("{c:?}").contains("secret"));
    }

    #[test]
    fn media_store_and_upload_limit() {
        let c = config(&[
            ("DATABASE_URL", "postgres://db/corridor"),
            ("CORRIDOR_S3_BUCKET", "corridor-images"),
            ("CORRIDOR_UPLOAD_MAX_MB", "4"),
        ])
        .unwrap();
        assert_eq!(
            c.media,
            MediaStore::S3 {
                bucket: "corridor-images".into()
            }
        );
        assert_eq!(c.upload_max_bytes, 4 * 1024 * 1024);
        let err = config(&[
            ("DATABASE_URL", "postgres://db/corridor"),
            ("CORRIDOR_UPLOAD_MAX_MB", "0"),
        ])
        .unwrap_err();
        assert!(matches!(
            err,
            ConfigError::Invalid {
                name: "CORRIDOR_UPLOAD_MAX_MB",
                ..
            }
        ));
    }

    #[test]
    fn mail_and_retention() {
        let c = config(&[("DATABASE_URL", "x")]).unwrap();
        assert!(c.mail.smtp_url.is_none());
        assert_eq!(c.mail.outbox, std::path::PathBuf::from("data/outbox"));
        assert_eq!(c.audit_retention_days, 365);
        assert_eq!(c.consult_retention_days, 3 * 365);
        let c = config(&[
            ("DATABASE_URL", "x"),
            ("CORRIDOR_SMTP_URL", "smtp://u:mailsecret@mail.example:587"),
            ("CORRIDOR_AUDIT_RETENTION_DAYS", "730"),
            ("CORRIDOR_CONSULT_RETENTION_DAYS", "1825"),
        ])
        .unwrap();
        assert_eq!(c.audit_retention_days, 730);
        assert_eq!(c.consult_retention_days, 1825);
        assert!(config(&[
            ("DATABASE_URL", "x"),
            ("CORRIDOR_CONSULT_RETENTION_DAYS", "10")
        ])
        .is_err());
        assert!(!format!("{c:?}").contains("mailsecret"));
        assert!(config(&[
            ("DATABASE_URL", "x"),
            ("CORRIDOR_AUDIT_RETENTION_DAYS", "7")
        ])
        .is_err());
    }

    #[test]
    fn metrics_token_and_shutdown_grace() {
        let c = config(&[("DATABASE_URL", "x")]).unwrap();
        assert!(c.metrics_token.is_none());
        assert_eq!(c.shutdown_grace, std::time::Duration::from_secs(20));
        let c = config(&[
            ("DATABASE_URL", "x"),
            ("CORRIDOR_METRICS_TOKEN", "0123456789abcdef-scrape"),
            ("CORRIDOR_SHUTDOWN_GRACE_SECONDS", "5"),
        ])
        .unwrap();
        assert_eq!(
            c.metrics_token.as_ref().map(|t| t.expose_secret()),
            Some("0123456789abcdef-scrape")
        );
        assert!(!format!("{c:?}").contains("0123456789abcdef"));
        assert_eq!(c.shutdown_grace, std::time::Duration::from_secs(5));
        let err =
            config(&[("DATABASE_URL", "x"), ("CORRIDOR_METRICS_TOKEN", "short")]).unwrap_err();
        assert!(err.to_string().contains("CORRIDOR_METRICS_TOKEN"));
        assert!(!err.to_string().contains("short"));
        assert!(config(&[
            ("DATABASE_URL", "x"),
            ("CORRIDOR_SHUTDOWN_GRACE_SECONDS", "soon")
        ])
        .is_err());
    }

    #[test]
    fn database_url_is_required() {
        assert_eq!(config(&[]).unwrap_err(), ConfigError::MissingDatabaseUrl);
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err =
            config(&[("DATABASE_URL", "x"), ("CORRIDOR_COOKIE_SECURE", "maybe")]).unwrap_err();
        assert!(err.to_string().contains("CORRIDOR_COOKIE_SECURE"));
        let err = config(&[("DATABASE_URL", "x"), ("CORRIDOR_LISTEN", "nowhere")]).unwrap_err();
        assert!(err.to_string().contains("CORRIDOR_LISTEN"));
        let err = config(&[("DATABASE_URL", "x"), ("CORRIDOR_LOG_FORMAT", "xml")]).unwrap_err();
        assert!(err.to_string().contains("pretty or json"));
    }

    #[test]
    fn switches() {
        let c = config(&[
            ("DATABASE_URL", "x"),
            ("CORRIDOR_COOKIE_SECURE", "true"),
            ("CORRIDOR_DEMO_DATA", "1"),
            ("CORRIDOR_LOG_FORMAT", "json"),
            ("CORRIDOR_LISTEN", "0.0.0.0:8080"),
        ])
        .unwrap();
        assert!(c.cookie_secure && c.demo_data);
        assert_eq!(c.log_format, LogFormat::Json);
        assert_eq!(c.listen.port(), 8080);
    }

    #[test]
    fn public_url_defaults_to_the_listening_address() {
        let c = config(&[("DATABASE_URL", "x")]).unwrap();
        assert_eq!(c.public_url.as_str(), "http://127.0.0.1:3000");
        let c = config(&[("DATABASE_URL", "x"), ("CORRIDOR_LISTEN", "127.0.0.1:3200")]).unwrap();
        assert_eq!(c.public_url.as_str(), "http://127.0.0.1:3200");
        let c = config(&[
            ("DATABASE_URL", "x"),
            ("CORRIDOR_LISTEN", "0.0.0.0:8080"),
            ("CORRIDOR_PUBLIC_URL", "https://corridor.example.org/"),
        ])
        .unwrap();
        assert_eq!(c.public_url.as_str(), "https://corridor.example.org");
        for bad in ["corridor.example.org", "https://corridor.example.org/app"] {
            let err = config(&[("DATABASE_URL", "x"), ("CORRIDOR_PUBLIC_URL", bad)]).unwrap_err();
            assert!(err.to_string().contains("CORRIDOR_PUBLIC_URL"), "{err}");
        }
    }
}
