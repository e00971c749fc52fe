//! Pages.

mod admin;
mod settings;

pub use admin::AdminPage;
pub use settings::SettingsPage;
