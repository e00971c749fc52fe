//! Accounts: registration, sign-in, address confirmation, password reset, roles, and the
//! account page. Sessions and password hashing are in `ssr::auth`.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;

/// What other features may ask of this one on the server (its `db` stays its own).
#[cfg(feature = "ssr")]
pub use db::{
    add_department, attempt_succeeded, begin_attempt, clear_failures, department_of, email_taken,
    find_credentials, forget_attempt, list_for_admin, public_user, session_user, set_role,
    signed_in, specialties, specialty_exists,
};

use crate::error::{AppError, FieldErrors};
use crate::util::{chars, optional, Choice};
use serde::{Deserialize, Serialize};

crate::closed_set! {
    pub enum Role in "user_role" {
        Resident = "resident",
        Mentor = "mentor",
        DepartmentAdmin = "department_admin",
        SiteAdmin = "site_admin",
    }
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Resident => "Resident",
            Role::Mentor => "Mentor",
            Role::DepartmentAdmin => "Department admin",
            Role::SiteAdmin => "Site admin",
        }
    }

    /// Who may write and publish case sketches.
    pub fn can_author(self) -> bool {
        matches!(self, Role::Mentor | Role::SiteAdmin)
    }
}

/// The signed-in person as the UI needs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub full_name: String,
    pub role: Role,
    /// Unread notifications, for the badge in the header.
    pub unread: i64,
    /// Whether the person has followed the link mailed to their address.
    pub email_verified: bool,
    /// The verified department, if any (a request waiting for approval does not count).
    pub department_id: Option<i64>,
    /// A department the person asked to join, waiting for verification or approval.
    pub requested_department: Option<String>,
}

/// A user as anyone signed in may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicUser {
    pub id: i64,
    pub full_name: String,
    pub designation: Option<String>,
    pub specialty: Option<String>,
    pub department: Option<String>,
    pub institution: Option<String>,
    pub role: Role,
}

/// Choices offered by the registration and case forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormChoices {
    pub departments: Vec<Choice>,
    pub specialties: Vec<Choice>,
    pub councils: Vec<Choice>,
}

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;
/// A registration form, validated. The password is checked here and hashed by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub password: String,
    pub full_name: String,
    pub designation: Option<String>,
    pub specialty: Option<String>,
    pub department_id: Option<i64>,
    pub medical_council: Option<String>,
    pub registration_number: Option<String>,
}

/// A deliberately plain e-mail check: one `@`, something before it, a dotted domain after it,
/// no spaces. Whether the address really exists is a question for a confirmation mail.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && email.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

/// What is wrong with a new password, if anything.
pub fn password_problem(password: &str) -> Option<String> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        Some(format!(
            "Use at least {PASSWORD_MIN} characters for your password."
        ))
    } else if len > PASSWORD_MAX {
        Some(format!(
            "Use at most {PASSWORD_MAX} characters for your password."
        ))
    } else {
        None
    }
}

/// A new password's check as a form error beside the `password` field.
pub fn check_password(password: &str) -> Result<(), AppError> {
    match password_problem(password) {
        Some(message) => Err(AppError::field("password", message)),
        None => Ok(()),
    }
}

pub struct RegistrationInput<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub full_name: &'a str,
    pub designation: &'a str,
    pub specialty: &'a str,
    pub department_id: &'a str,
    pub medical_council: &'a str,
    pub registration_number: &'a str,
}

impl NewUser {
    pub fn parse(input: RegistrationInput<'_>) -> Result<NewUser, AppError> {
        let email = input.email.trim().to_lowercase();
        let full_name = input.full_name.trim();
        let mut errors = FieldErrors::new();
        if email.is_empty() {
            errors.add("email", "Enter your e-mail address.");
        } else if !is_plausible_email(&email) {
            errors.add(
                "email",
                "That does not look like an e-mail address (name@hospital.in).",
            );
        }
        if let Some(message) = password_problem(input.password) {
            errors.add("password", message);
        }
        if chars(full_name) < 2 {
            errors.add("full_name", "Enter your full name.");
        } else if chars(full_name) > 100 {
            errors.add("full_name", "Keep your name to 100 characters.");
        }
        if chars(input.designation.trim()) > 80 {
            errors.add("designation", "Keep the designation to 80 characters.");
        }
        let department_id = match input.department_id.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("department_id", "Choose your department from the list.");
                    None
                }
            },
        };
        let registration_number = optional(input.registration_number);
        if registration_number.as_deref().map(chars).unwrap_or(0) > 30 {
            errors.add(
                "registration_number",
                "A registration number has at most 30 characters.",
            );
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors.with_values(&[
                ("email", input.email),
                ("full_name", input.full_name),
                ("designation", input.designation),
                ("specialty", input.specialty),
                ("department_id", input.department_id),
                ("medical_council", input.medical_council),
                ("registration_number", input.registration_number),
            ])));
        }
        Ok(NewUser {
            email,
            password: input.password.to_owned(),
            full_name: full_name.to_owned(),
            designation: optional(input.designation),
            specialty: optional(input.specialty),
            department_id,
            medical_council: optional(input.medical_council),
            registration_number,
        })
    }
}

#[cfg(test)]
mod model_tests {
    use super::*;

    fn input<'a>(email: &'a str, password: &'a str) -> RegistrationInput<'a> {
        RegistrationInput {
            email,
            password,
            full_name: "Dr Asha Rao",
            designation: "",
            specialty: "",
            department_id: "",
            medical_council: "",
            registration_number: "",
        }
    }

    #[test]
    fn email_plausibility() {
        assert!(is_plausible_email("asha@aiims.edu.in"));
        for bad in [
            "asha", "asha@", "@x.in", "a b@x.in", "a@b", "a@.in", "a@x.in.",
        ] {
            assert!(!is_plausible_email(bad), "{bad} should be rejected");
        }
    }

    #[test]
    fn registration_reports_each_field() {
        let err = NewUser::parse(input("not-an-email", "short")).unwrap_err();
        let fields = err.field_errors().expect("validation error");
        assert!(fields.get("email").is_some());
        assert!(fields.get("password").unwrap().contains("at least 10"));
        // What was typed comes back, except the password.
        assert_eq!(fields.value("email"), Some("not-an-email"));
        assert_eq!(fields.value("password"), None);
    }

    #[test]
    fn registration_normalises_email() {
        let user = NewUser::parse(input("  Asha@AIIMS.edu.in ", "long enough pw")).unwrap();
        assert_eq!(user.email, "asha@aiims.edu.in");
        assert_eq!(user.designation, None);
    }
}
