//! Accounts: registration, signing in and out, e-mail verification, password reset.

use app::accounts::{FormChoices, SessionUser};

use super::Fields;
use crate::common::{Client, Reply, TestApp};

/// The registration form (`register`). `Registration::new` fills in the test password and
/// leaves every optional answer empty, as a hurried resident would.
#[derive(Debug, Clone, Copy)]
pub struct Registration<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub full_name: &'a str,
    pub designation: &'a str,
    pub specialty: &'a str,
    /// A department id, or empty.
    pub department_id: &'a str,
    pub medical_council: &'a str,
    pub registration_number: &'a str,
    /// An invitation token.
    pub invite: Option<&'a str>,
}

impl<'a> Registration<'a> {
    /// The password every test account has.
    pub const PASSWORD: &'static str = "correct horse battery";

    pub fn new(email: &'a str, full_name: &'a str) -> Self {
        Self {
            email,
            password: Self::PASSWORD,
            full_name,
            designation: "",
            specialty: "",
            department_id: "",
            medical_council: "",
            registration_number: "",
            invite: None,
        }
    }
}

impl TestApp {
    /// `register`: creates an account and signs the browser in.
    pub async fn submit_registration(&self, client: &mut Client, form: Registration<'_>) -> Reply {
        let fields = Fields::new()
            .with("email", form.email)
            .with("password", form.password)
            .with("full_name", form.full_name)
            .with("designation", form.designation)
            .with("specialty", form.specialty)
            .with("department_id", form.department_id)
            .with("medical_council", form.medical_council)
            .with("registration_number", form.registration_number)
            .maybe("invite", form.invite);
        self.send(client, "register", fields).await
    }

    /// `me`: who this browser is signed in as, if anyone.
    pub async fn me(&self, client: &mut Client) -> Option<SessionUser> {
        self.send(client, "me", Fields::new()).await.json()
    }

    /// `login`.
    pub async fn login(&self, client: &mut Client, email: &str, password: &str) -> Reply {
        let fields = Fields::new()
            .with("email", email)
            .with("password", password);
        self.send(client, "login", fields).await
    }

    /// `login`, asking to be sent on to `next`.
    pub async fn login_then(
        &self,
        client: &mut Client,
        email: &str,
        password: &str,
        next: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("email", email)
            .with("password", password)
            .with("next", next);
        self.send(client, "login", fields).await
    }

    /// `login` from a fresh browser that sends exactly `headers` (see `send_with_headers`).
    pub async fn login_with_headers(
        &self,
        email: &str,
        password: &str,
        headers: &[(&str, &str)],
    ) -> Reply {
        let fields = Fields::new()
            .with("email", email)
            .with("password", password);
        self.send_with_headers("login", fields, headers).await
    }

    /// `register` with nothing but an e-mail address, from a fresh browser that sends exactly
    /// `headers` (see `send_with_headers`).
    pub async fn register_with_headers(&self, email: &str, headers: &[(&str, &str)]) -> Reply {
        self.send_with_headers("register", Fields::new().with("email", email), headers)
            .await
    }

    /// `logout`.
    pub async fn logout(&self, client: &mut Client) -> Reply {
        self.send(client, "logout", Fields::new()).await
    }

    /// `verify-email`: follows the link of a confirmation mail (`Confirmed`).
    pub async fn verify_email(&self, client: &mut Client, token: &str) -> Reply {
        self.send(client, "verify-email", Fields::new().with("token", token))
            .await
    }

    /// `forgot-password`.
    pub async fn forgot_password(&self, client: &mut Client, email: &str) -> Reply {
        self.send(
            client,
            "forgot-password",
            Fields::new().with("email", email),
        )
        .await
    }

    /// `reset-password`.
    pub async fn reset_password(&self, client: &mut Client, token: &str, password: &str) -> Reply {
        let fields = Fields::new()
            .with("token", token)
            .with("password", password);
        self.send(client, "reset-password", fields).await
    }

    /// `form-choices`: what the registration form offers.
    pub async fn form_choices(&self, client: &mut Client) -> FormChoices {
        self.send(client, "form-choices", Fields::new())
            .await
            .json()
    }
}
