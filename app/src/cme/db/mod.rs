//! CME: evaluations, requirement profiles, the append-only ledger, certificates and claims.

use crate::cme::rules::{Entry, Profile};
use crate::cme::{
    Certificate, Claim, ClaimStatus, CreditSource, CreditType, LedgerEntry, LedgerTotals,
    PracticeChange,
};
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;

mod certificates;
mod claims;
mod exports;
mod ledger;
mod profiles;

pub use certificates::*;
pub use claims::*;
pub use exports::*;
pub use ledger::*;
pub use profiles::*;
