//! CME pages: a clinician's credit against their council's requirement and the public
//! certificate verification page. (The department admin's dashboard is in `department`.)

mod credit;
mod progress;
mod verify;

pub use credit::CmePage;
pub use verify::VerifyPage;

pub(crate) fn amount(v: f64) -> String {
    let v = (v * 100.0).round() / 100.0;
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}
