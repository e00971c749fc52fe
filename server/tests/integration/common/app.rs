//! The test server: a Corridor router in-process over the fresh database `#[sqlx::test]`
//! creates for each test, driven through real HTTP requests; the browser (`Client`), its
//! answers (`Reply`) and a real SMTP server for the mail tests.

use app::accounts::Role;
use app::error::AppError;
use app::util::url_encode;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::Settings;
use sqlx::PgPool;
use tower::ServiceExt;

use super::endpoints::Registration;

pub struct TestApp {
    pub router: Router,
    pub pool: PgPool,
    /// The image store the router writes to (a fresh local directory per test).
    pub media: app::media::store::Media,
    /// The site's configured public URL; every state-changing request names it as `Origin`,
    /// as a browser on one of the site's pages does.
    pub public_url: String,
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    /// The error a server function returned (its JSON-encoded `AppError`).
    pub fn error(&self) -> AppError {
        assert!(
            !self.status.is_success(),
            "expected an error, got {}: {}",
            self.status,
            self.body
        );
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not an AppError ({e}): {}", self.body))
    }

    pub fn ok(&self) -> &Self {
        assert!(
            self.status.is_success(),
            "expected success, got {}: {}",
            self.status,
            self.body
        );
        self
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        self.ok();
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("bad JSON ({e}): {}", self.body))
    }

    /// The id of what a plain route created (`{"id": …}`: an uploaded image, a claim).
    pub fn created_id(&self) -> i64 {
        let value: serde_json::Value = self.json();
        value["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {}", self.body))
    }

    /// The session cookie this response sets, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("corridor_session="))
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
    }
}

/// One person's browser: carries the session cookie between requests.
#[derive(Clone, Default)]
pub struct Client {
    pub cookie: Option<String>,
    pub forwarded_for: Option<String>,
}

impl TestApp {
    pub async fn new(pool: PgPool) -> Self {
        Self::with_settings(pool, Settings::new("target/site", false, true)).await
    }

    pub async fn with_settings(pool: PgPool, settings: Settings) -> Self {
        // Before any request, so no call site is first met without the recorder listening.
        super::statements::install();
        let media = settings.media.clone();
        let public_url = settings.public_url.to_string();
        let router = server::router(pool.clone(), settings)
            .await
            .expect("router builds");
        Self {
            router,
            pool,
            media,
            public_url,
        }
    }

    pub async fn request(&self, client: &mut Client, req: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let reply = Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        if let Some(cookie) = reply.session_cookie() {
            client.cookie = Some(cookie);
        }
        reply
    }

    /// Calls a server function as the browser's JavaScript does (form-encoded, JSON back).
    /// Tests call the typed helpers in `endpoints`; this is what they, and the endpoint matrix,
    /// are built on.
    pub async fn call(&self, client: &mut Client, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded_form(form);
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::ORIGIN, &self.public_url);
        if let Some(cookie) = &client.cookie {
            req = req.header(header::COOKIE, cookie);
        }
        if let Some(ip) = &client.forwarded_for {
            req = req.header("x-forwarded-for", ip);
        }
        self.request(client, req.body(Body::from(body)).unwrap())
            .await
    }

    /// Posts the images page's upload form (multipart) to a case. With `json`, asks for JSON as
    /// a script would; without, behaves like a browser without JavaScript.
    pub async fn upload(
        &self,
        client: &mut Client,
        case_id: i64,
        file: (&str, &str, &[u8]),
        alt_text: &str,
        json: bool,
    ) -> Reply {
        let path = format!("/cases/{case_id}/images");
        self.upload_to(
            client,
            &path,
            file,
            &[("alt_text", alt_text), ("caption", "")],
            json,
        )
        .await
    }

    /// Posts an upload form (multipart): the text `fields`, then the `image` file.
    pub async fn upload_to(
        &self,
        client: &mut Client,
        path: &str,
        file: (&str, &str, &[u8]),
        fields: &[(&str, &str)],
        json: bool,
    ) -> Reply {
        let (filename, content_type, bytes) = file;
        let boundary = "corridor-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut req = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::ORIGIN, &self.public_url);
        if json {
            req = req.header(header::ACCEPT, "application/json");
        }
        if let Some(cookie) = &client.cookie {
            req = req.header(header::COOKIE, cookie);
        }
        self.request(client, req.body(Body::from(body)).unwrap())
            .await
    }

    /// Posts a plain HTML form to `path` (not a server function). With `json`, asks for JSON as a
    /// script would; without, follows nothing and returns the redirect a browser would follow.
    pub async fn post_form(
        &self,
        client: &mut Client,
        path: &str,
        form: &[(&str, &str)],
        json: bool,
    ) -> Reply {
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, &self.public_url);
        if json {
            req = req.header(header::ACCEPT, "application/json");
        }
        if let Some(cookie) = &client.cookie {
            req = req.header(header::COOKIE, cookie);
        }
        self.request(
            client,
            req.body(Body::from(serde_urlencoded_form(form))).unwrap(),
        )
        .await
    }

    /// Fetches raw bytes (an image) as the signed-in client.
    pub async fn get_bytes(
        &self,
        client: &Client,
        path: &str,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let mut req = Request::get(path);
        if let Some(cookie) = &client.cookie {
            req = req.header(header::COOKIE, cookie);
        }
        self.request_bytes(req.body(Body::empty()).unwrap()).await
    }

    /// Sends a request and reads the raw bytes of the answer (a PDF, an image).
    pub async fn request_bytes(
        &self,
        req: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let response = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, headers, bytes.to_vec())
    }

    /// Fetches a page as a browser would.
    pub async fn get(&self, client: &mut Client, path: &str) -> Reply {
        let mut req = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(cookie) = &client.cookie {
            req = req.header(header::COOKIE, cookie);
        }
        self.request(client, req.body(Body::empty()).unwrap()).await
    }

    /// Registers a resident and returns their signed-in client and user id. Each registration
    /// comes from its own address, as different people's would (registration is limited per
    /// address).
    pub async fn register(&self, email: &str, name: &str) -> (Client, i64) {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut client = Client {
            forwarded_for: Some(format!(
                "10.{}.{}.{}",
                (n >> 16) & 255,
                (n >> 8) & 255,
                n & 255
            )),
            ..Client::default()
        };
        self.submit_registration(&mut client, Registration::new(email, name))
            .await
            .ok();
        let id: i64 = sqlx::query_scalar("select id from users where email = $1")
            .bind(email.to_lowercase())
            .fetch_one(&self.pool)
            .await
            .expect("registered user exists");
        client.forwarded_for = None;
        (client, id)
    }

    /// A test app whose mail goes to a real SMTP server (aiosmtpd) started for this test.
    pub async fn with_mail(pool: PgPool) -> (Self, MailServer) {
        let mail = MailServer::start().await;
        let mut settings = Settings::new("target/site", false, true);
        settings.mailer =
            app::ssr::mail::Mailer::smtp(&mail.url(), "Corridor <corridor@test.invalid>")
                .expect("SMTP URL is valid");
        settings.public_url =
            app::ssr::public_url::PublicUrl::parse(PUBLIC_URL).expect("a valid public URL");
        (Self::with_settings(pool, settings).await, mail)
    }

    pub async fn user_with_role(&self, email: &str, name: &str, role: Role) -> (Client, i64) {
        let (client, id) = self.register(email, name).await;
        app::accounts::db::set_role(&self.pool, id, role)
            .await
            .expect("role set");
        (client, id)
    }
}

pub(crate) fn serde_urlencoded_form(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The public address test apps with mail put in their links.
pub const PUBLIC_URL: &str = "http://corridor.test";

/// A real SMTP server for one test: Python's aiosmtpd (Debian's `python3-aiosmtpd`), storing
/// what it receives in a Maildir that the test reads.
pub struct MailServer {
    child: std::process::Child,
    port: u16,
    dir: std::path::PathBuf,
}

impl MailServer {
    pub async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let dir = std::env::temp_dir().join(format!("corridor-smtp-{}-{port}", std::process::id()));
        let bin =
            std::env::var("CORRIDOR_TEST_AIOSMTPD").unwrap_or_else(|_| "/usr/bin/aiosmtpd".into());
        let child = std::process::Command::new(&bin)
            .args(["-n", "-l", &format!("127.0.0.1:{port}"), "-c"])
            .arg("aiosmtpd.handlers.Mailbox")
            .arg(&dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{bin} runs (apt install python3-aiosmtpd): {e}"));
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        Self { child, port, dir }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far for `to`, raw.
    pub fn messages_to(&self, to: &str) -> Vec<String> {
        let header = format!("To: {to}");
        let Ok(entries) = std::fs::read_dir(self.dir.join("new")) else {
            return Vec::new();
        };
        let mut found: Vec<(std::time::SystemTime, String)> = entries
            .flatten()
            .filter_map(|e| {
                let text = std::fs::read_to_string(e.path()).ok()?;
                let modified = e.metadata().and_then(|m| m.modified()).ok()?;
                text.lines()
                    .any(|l| l.trim() == header)
                    .then_some((modified, text))
            })
            .collect();
        found.sort();
        found.into_iter().map(|(_, text)| text).collect()
    }

    /// Waits (up to 10 s) until `count` messages for `to` arrived; returns the newest.
    pub async fn wait_for_nth(&self, to: &str, count: usize) -> String {
        for _ in 0..400 {
            let messages = self.messages_to(to);
            if messages.len() >= count {
                return messages.last().cloned().unwrap_or_default();
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("no mail #{count} for {to} within 10 s");
    }

    pub async fn wait_for(&self, to: &str) -> String {
        self.wait_for_nth(to, 1).await
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The token in the first link to `path` (e.g. `/verify-email`) in a raw message.
pub fn token_in(message: &str, path: &str) -> String {
    let marker = format!("{PUBLIC_URL}{path}?token=");
    let start = message
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} link in:\n{message}"))
        + marker.len();
    message[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

/// A form refused without JavaScript, read back from the redirect's `Location` the way its page
/// reads it: the page it returns to, the form's action (`__path`) and the error (`__err`).
pub struct RefusedForm {
    pub page: String,
    pub action: String,
    pub error: AppError,
    /// The raw query, to check what never goes into a URL.
    pub query: String,
}

impl RefusedForm {
    pub fn from_location(location: &str) -> Self {
        let url = url::Url::parse(&format!("http://corridor.test{location}"))
            .unwrap_or_else(|e| panic!("bad location {location}: {e}"));
        let pair = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .unwrap_or_else(|| panic!("no {name} in {location}"))
        };
        let action = pair("__path");
        let error = server_fn::error::ServerFnUrlError::<AppError>::decode_err(&pair("__err"));
        Self {
            page: url.path().to_owned(),
            action,
            error,
            query: url.query().unwrap_or_default().to_owned(),
        }
    }

    /// The message beside `field`.
    pub fn field(&self, field: &str) -> Option<&str> {
        self.error.field_errors().and_then(|f| f.get(field))
    }

    /// What was typed in `field`, kept to refill it.
    pub fn value(&self, field: &str) -> Option<&str> {
        self.error.field_errors().and_then(|f| f.value(field))
    }
}
