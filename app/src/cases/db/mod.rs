pub mod follows;
use crate::cases::{
    CaseDetail, CasePage, CaseRevision, CaseStatus, CaseSummary, Kind, NewCase, Visibility,
    CASES_PER_PAGE,
};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

mod home;
mod overrides;
mod reading;
mod review;
mod rows;
mod search;
mod writing;

pub use home::*;
pub use overrides::*;
pub use reading::*;
pub use review::*;
pub use rows::*;
pub use search::*;
pub use writing::*;
