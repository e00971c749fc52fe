//! A case's images page (upload, consent, list) and the annotation editor for one image,
//! which also draws the regions of a hotspot question.

mod canvas;
mod editor;
mod images;
mod panels;

pub use editor::{HotspotEditorPage, ImageEditorPage};
pub use images::CaseImagesPage;
