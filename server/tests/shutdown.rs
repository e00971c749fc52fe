//! Graceful shutdown of the real binary: on SIGTERM the server stops accepting connections,
//! lets the request in flight finish, and exits 0; a request that never finishes is cut off
//! after `CORRIDOR_SHUTDOWN_GRACE_SECONDS`.
//!
//! The request held open is a sign-in whose form body the test sends in two halves, as a slow
//! client would: the server has started handling it (its headers are in) and waits for the rest.

use sqlx::PgPool;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const EMAIL: &str = "head.meu@hospital.in";
const PASSWORD: &str = "shutdown-test-password-1";

/// The URL of the fresh database `#[sqlx::test]` made, for the server process.
async fn database_url(pool: &PgPool) -> String {
    let name: String = sqlx::query_scalar("select current_database()")
        .fetch_one(pool)
        .await
        .unwrap();
    let mut url = url::Url::parse(&std::env::var("DATABASE_URL").expect("DATABASE_URL")).unwrap();
    url.set_path(&format!("/{name}"));
    url.to_string()
}

struct Server {
    child: Child,
    addr: SocketAddr,
    log: std::path::PathBuf,
}

impl Server {
    fn command(database_url: &str, scratch: &std::path::Path, addr: SocketAddr) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
        command
            .env("DATABASE_URL", database_url)
            .env("CORRIDOR_LISTEN", addr.to_string())
            .env("CORRIDOR_MEDIA_DIR", scratch.join("media"))
            .env("CORRIDOR_OUTBOX_DIR", scratch.join("outbox"))
            .env("LEPTOS_SITE_ROOT", scratch.join("site"))
            .env("CORRIDOR_DEMO_DATA", "false")
            .env("RUST_LOG", "info,sqlx=warn");
        command
    }

    /// Creates the site admin to sign in as, then starts serving on a free port.
    async fn start(pool: &PgPool, grace_seconds: u32) -> Self {
        let database_url = database_url(pool).await;
        let scratch = std::env::temp_dir().join(format!(
            "corridor-shutdown-{}-{grace_seconds}",
            std::process::id()
        ));
        std::fs::create_dir_all(&scratch).unwrap();
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();

        let mut admin = Self::command(&database_url, &scratch, addr)
            .args(["create-admin", "--email", EMAIL, "--name", "Dr. A. Head"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(admin.stdin.take().unwrap(), "{PASSWORD}").unwrap();
        let out = admin.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "create-admin: {}",
            String::from_utf8_lossy(&out.stderr)
        );

        let log = scratch.join("server.log");
        let file = std::fs::File::create(&log).unwrap();
        let child = Self::command(&database_url, &scratch, addr)
            .env("CORRIDOR_SHUTDOWN_GRACE_SECONDS", grace_seconds.to_string())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap();
        let server = Server { child, addr, log };
        let started = Instant::now();
        loop {
            if let Ok(reply) =
                server.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            {
                if reply.starts_with("HTTP/1.1 200") {
                    return server;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "server did not come up:\n{}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn exchange(&self, request: &str) -> std::io::Result<String> {
        let mut stream = TcpStream::connect(self.addr)?;
        stream.write_all(request.as_bytes())?;
        let mut reply = String::new();
        stream.read_to_string(&mut reply)?;
        Ok(reply)
    }

    /// Opens a sign-in whose body is only half sent; returns the stream and the other half.
    fn half_sent_sign_in(&self) -> (TcpStream, String) {
        let body = format!("email={}&password={PASSWORD}", EMAIL.replace('@', "%40"));
        let (first, rest) = body.split_at(body.len() / 2);
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "POST /api/login HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n\
             Content-Length: {len}\r\nConnection: close\r\n\r\n{first}",
            addr = self.addr,
            len = body.len()
        )
        .unwrap();
        stream.flush().unwrap();
        (stream, rest.to_owned())
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits up to `limit` for the process to exit.
    fn exit_within(&mut self, limit: Duration) -> std::process::ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if started.elapsed() > limit {
                let _ = self.child.kill();
                panic!("server still running after {limit:?}:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until a new connection is refused (the listening socket is closed).
    fn refuses_connections_within(&self, limit: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < limit {
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_err() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn sigterm_lets_the_request_in_flight_finish_and_exits_0(pool: PgPool) {
    let mut server = Server::start(&pool, 20).await;
    let (mut stream, rest) = server.half_sent_sign_in();
    // Let the server read the headers and start on the request.
    std::thread::sleep(Duration::from_millis(300));

    server.terminate();
    assert!(
        server.refuses_connections_within(Duration::from_secs(5)),
        "still accepting connections after SIGTERM:\n{}",
        server.log()
    );
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "exited with a request in flight:\n{}",
        server.log()
    );

    stream.write_all(rest.as_bytes()).unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(
        reply.starts_with("HTTP/1.1 200"),
        "the request in flight got: {reply}\n{}",
        server.log()
    );
    assert!(reply.contains("corridor_session="), "{reply}");

    let status = server.exit_within(Duration::from_secs(15));
    assert_eq!(status.code(), Some(0), "{}", server.log());
    let log = server.log();
    assert!(log.contains("shutting down"), "{log}");
    assert!(log.contains("stopped"), "{log}");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_request_that_never_finishes_is_cut_off_after_the_grace_period(pool: PgPool) {
    let mut server = Server::start(&pool, 1).await;
    let (_stream, _never_sent) = server.half_sent_sign_in();
    std::thread::sleep(Duration::from_millis(300));
    let signalled = Instant::now();
    server.terminate();
    let status = server.exit_within(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "{}", server.log());
    assert!(
        signalled.elapsed() >= Duration::from_millis(900),
        "exited before the grace period"
    );
    assert!(server.log().contains("grace period"), "{}", server.log());
}
