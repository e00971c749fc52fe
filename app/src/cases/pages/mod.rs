//! Pages.

mod editor;
mod home;
mod mentor;
mod read;
mod search;
mod specialty;

pub use editor::{EditCasePage, NewCasePage, NewLessonPage};
pub use home::HomePage;
pub use mentor::MentorPage;
pub use read::{CaseListPage, CasePage};
pub use search::SearchPage;
pub use specialty::SpecialtyPage;
