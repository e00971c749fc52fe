//! `server create-admin --email ADDRESS --name "Full Name"`: creates the first (or another) site
//! admin, or promotes an existing account. The password is the first line of standard input,
//! or generated and printed once.

use crate::demo::SeedError;
use app::accounts::{NewUser, RegistrationInput, Role};
use app::error::AppError;
use app::ssr::auth;
use rand::Rng;
use sqlx::PgPool;
use std::fmt;
use std::io::{BufRead, IsTerminal};

/// What the operator asked for, read before the database is touched.
pub struct Request {
    pub email: String,
    pub name: String,
    pub password: String,
    pub generated: bool,
}

impl Request {
    pub fn from_args(args: &[String]) -> Result<Self, String> {
        let email = flag(args, "--email").ok_or("create-admin needs --email ADDRESS")?;
        let name = flag(args, "--name").ok_or("create-admin needs --name \"Full Name\"")?;
        let stdin = std::io::stdin();
        let (password, generated) = if stdin.is_terminal() {
            (random_password(), true)
        } else {
            let mut line = String::new();
            stdin
                .lock()
                .read_line(&mut line)
                .map_err(|e| format!("reading the password from standard input: {e}"))?;
            let line = line.trim_end_matches(['\r', '\n']).to_owned();
            if line.is_empty() {
                (random_password(), true)
            } else {
                (line, false)
            }
        };
        Ok(Self {
            email,
            name,
            password,
            generated,
        })
    }
}

pub async fn run(pool: &PgPool, request: Request) -> Result<(), String> {
    let outcome = create_site_admin(pool, &request.email, &request.name, &request.password)
        .await
        .map_err(|e| e.to_string())?;
    println!("{outcome}");
    if request.generated && outcome.created {
        println!(
            "Password (shown once; change it after signing in): {}",
            request.password
        );
    }
    Ok(())
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// A random password for `create-admin` when none is given: 20 characters from an alphabet
/// without look-alikes (0/O, 1/l/I).
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

pub struct AdminOutcome {
    pub email: String,
    pub created: bool,
}

impl fmt::Display for AdminOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.created {
            write!(f, "Created site admin {}.", self.email)
        } else {
            write!(
                f,
                "{} already had an account; it is now a site admin (password unchanged).",
                self.email
            )
        }
    }
}

/// Creates the first (or another) site admin, or promotes an existing account.
pub async fn create_site_admin(
    pool: &PgPool,
    email: &str,
    name: &str,
    password: &str,
) -> Result<AdminOutcome, SeedError> {
    let email = email.trim().to_lowercase();
    if let Some(existing) = app::accounts::db::find_credentials(pool, &email).await? {
        app::accounts::db::set_role(pool, existing.id, Role::SiteAdmin).await?;
        return Ok(AdminOutcome {
            email,
            created: false,
        });
    }
    let new_user = NewUser::parse(RegistrationInput {
        email: &email,
        password,
        full_name: name,
        designation: "",
        specialty: "",
        department_id: "",
        medical_council: "",
        registration_number: "",
    })
    .map_err(|e| match e.field_errors() {
        Some(fields) => AppError::Invalid(fields.clone()),
        None => e,
    })?;
    let hash = auth::hash_password(new_user.password.clone()).await?;
    let mut conn = pool.acquire().await?;
    let id = app::accounts::db::insert(&mut conn, &new_user, &hash).await?;
    // The operator vouches for the address they typed.
    sqlx::query("update users set email_verified_at = now() where id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    app::accounts::db::set_role(pool, id, Role::SiteAdmin).await?;
    Ok(AdminOutcome {
        email,
        created: true,
    })
}
