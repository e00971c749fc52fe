//! Operator commands besides `serve` and `migrate`.

pub mod backup;
pub mod create_admin;
pub mod gift_check;
pub mod moodle_check;
pub mod phi_scan;
