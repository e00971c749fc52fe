//! A Corridor server in-process, backed by the fresh database `#[sqlx::test]` creates for each
//! test, driven through real HTTP requests against the real router.
#![allow(dead_code)]

use app::error::AppError;
use app::model::{url_encode, Role};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::Settings;
use sqlx::PgPool;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub pool: PgPool,
    /// The image store the router writes to (a fresh local directory per test).
    pub media: app::ssr::media::Media,
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
        let (filename, content_type, bytes) = file;
        let boundary = "corridor-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in [("alt_text", alt_text), ("caption", "")] {
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
        let mut req = Request::post(format!("/cases/{case_id}/images"))
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
        let response = self
            .router
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
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

    /// Registers a resident and returns their signed-in client and user id.
    pub async fn register(&self, email: &str, name: &str) -> (Client, i64) {
        let mut client = Client::default();
        self.call(
            &mut client,
            "register",
            &[
                ("email", email),
                ("password", "correct horse battery"),
                ("full_name", name),
                ("designation", ""),
                ("specialty", ""),
                ("department_id", ""),
                ("medical_council", ""),
                ("registration_number", ""),
            ],
        )
        .await
        .ok();
        let id: i64 = sqlx::query_scalar("select id from users where email = $1")
            .bind(email.to_lowercase())
            .fetch_one(&self.pool)
            .await
            .expect("registered user exists");
        (client, id)
    }

    pub async fn user_with_role(&self, email: &str, name: &str, role: Role) -> (Client, i64) {
        let (client, id) = self.register(email, name).await;
        app::ssr::db::users::set_role(&self.pool, id, role)
            .await
            .expect("role set");
        (client, id)
    }

    /// A mentor saves a case; returns its id.
    pub async fn save_case(
        &self,
        client: &mut Client,
        title: &str,
        body: &str,
        intent: &str,
    ) -> i64 {
        self.call(
            client,
            "save-case",
            &[
                ("title", title),
                ("specialty", "general-surgery"),
                ("summary", "A short summary."),
                ("body", body),
                ("intent", intent),
            ],
        )
        .await
        .ok();
        sqlx::query_scalar("select id from cases where title = $1 order by id desc limit 1")
            .bind(title)
            .fetch_one(&self.pool)
            .await
            .expect("case saved")
    }
}

fn serde_urlencoded_form(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}
