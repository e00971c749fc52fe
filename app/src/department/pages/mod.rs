//! Pages.

mod dashboard;
mod members;

pub use dashboard::DepartmentPage;
pub use members::MembersAdminPage;
