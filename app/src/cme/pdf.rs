//! Lines of text on a PDF page in every script a clinician in India writes their name in.
//!
//! krilla embeds and subsets the fonts and shapes each run with rustybuzz (conjuncts, reordered
//! vowel signs), but one run must stay in one font. So a line is cut into runs by script — Latin
//! (with Greek and Cyrillic) in Noto Sans, each Indian script in its Noto Sans — with spaces,
//! digits and punctuation staying in the run they sit in when its font has them. Runs are
//! measured with the same shaper so they can be placed one after another, centred or wrapped.

use krilla::geom::Point;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use std::sync::LazyLock;

/// A font compiled into the binary: krilla's handle on it, and the shaper that measures runs
/// (parsed once, with the family).
struct Face {
    font: Font,
    shaper: rustybuzz::Face<'static>,
}

impl Face {
    fn new(data: &'static [u8]) -> Face {
        Face {
            font: Font::new(data.into(), 0).expect("the bundled Noto fonts parse"),
            shaper: rustybuzz::Face::from_slice(data, 0).expect("the bundled Noto fonts parse"),
        }
    }
}

/// Regular or bold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

macro_rules! family {
    ($weight:literal) => {
        [
            include_bytes!(concat!("../../fonts/NotoSans-", $weight, ".ttf")).as_slice(),
            include_bytes!(concat!("../../fonts/NotoSansDevanagari-", $weight, ".ttf")),
            include_bytes!(concat!("../../fonts/NotoSansBengali-", $weight, ".ttf")),
            include_bytes!(concat!("../../fonts/NotoSansGurmukhi-", $weight, ".ttf")),
            include_bytes!(concat!("../../fonts/NotoSansGujarati-", $weight, ".ttf")),
            include_bytes!(concat!("../../fonts/NotoSansOriya-", $weight, ".ttf")),
            include_bytes!(concat!("../../fonts/NotoSansTamil-", $weight, ".ttf")),
            include_bytes!(concat!("../../fonts/NotoSansTelugu-", $weight, ".ttf")),
            include_bytes!(concat!("../../fonts/NotoSansKannada-", $weight, ".ttf")),
            include_bytes!(concat!("../../fonts/NotoSansMalayalam-", $weight, ".ttf")),
        ]
    };
}

/// Index 0 is Latin; 1.. follow the Unicode blocks U+0900, U+0980 … U+0D00 in order.
static REGULAR: LazyLock<Vec<Face>> =
    LazyLock::new(|| family!("Regular").into_iter().map(Face::new).collect());
static BOLD: LazyLock<Vec<Face>> =
    LazyLock::new(|| family!("Bold").into_iter().map(Face::new).collect());

fn faces(weight: Weight) -> &'static [Face] {
    match weight {
        Weight::Regular => &REGULAR,
        Weight::Bold => &BOLD,
    }
}

/// The font a character needs, if its script decides it: the Indian script blocks from
/// Devanagari (U+0900) to Malayalam (U+0D7F) are 128 code points each, in the order of the
/// family above. The dandas (U+0964, U+0965) are shared by these scripts, so they are neutral.
fn script_font(c: char) -> Option<usize> {
    let cp = c as u32;
    match cp {
        0x0964 | 0x0965 => None,
        0x0900..=0x0D7F => Some(1 + ((cp - 0x0900) / 0x80) as usize),
        0xA8E0..=0xA8FF | 0x1CD0..=0x1CFF => Some(1), // Devanagari Extended, Vedic
        _ => Some(0).filter(|_| c.is_alphabetic()),
    }
}

/// A piece of a line in one font.
#[derive(Debug, PartialEq)]
struct Run {
    font: usize,
    text: String,
}

/// Cuts a line into runs of one font each.
fn runs(text: &str, faces: &[Face]) -> Vec<Run> {
    let has = |font: usize, c: char| faces[font].shaper.glyph_index(c).is_some();
    let mut out: Vec<Run> = Vec::new();
    for c in text.chars() {
        let font = match (script_font(c), out.last()) {
            (Some(font), _) => font,
            // Spaces, digits, punctuation and joiners stay with the run they continue.
            (None, Some(run)) if has(run.font, c) || c.is_whitespace() => run.font,
            (None, _) => 0,
        };
        match out.last_mut() {
            Some(run) if run.font == font => run.text.push(c),
            _ => out.push(Run {
                font,
                text: c.to_string(),
            }),
        }
    }
    out
}

/// The advance width of a run at `size` points, shaped as krilla will shape it.
fn run_width(run: &Run, faces: &[Face], size: f32) -> f32 {
    let shaper = &faces[run.font].shaper;
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(&run.text);
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(shaper, &[], buffer);
    let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
    units as f32 * size / shaper.units_per_em() as f32
}

/// The width of `text` at `size` points.
pub fn width(text: &str, weight: Weight, size: f32) -> f32 {
    let faces = faces(weight);
    runs(text, faces)
        .iter()
        .map(|run| run_width(run, faces, size))
        .sum()
}

/// Draws one line with its baseline starting at `(x, y)` (y grows downwards).
pub fn line(surface: &mut Surface, x: f32, y: f32, text: &str, weight: Weight, size: f32) {
    let faces = faces(weight);
    let mut x = x;
    for run in runs(text, faces) {
        surface.draw_text(
            Point::from_xy(x, y),
            faces[run.font].font.clone(),
            size,
            &run.text,
            false,
            TextDirection::Auto,
        );
        x += run_width(&run, faces, size);
    }
}

/// Breaks `text` at spaces into lines no wider than `max_width`; a word longer than a line
/// stands alone on its line.
pub fn wrap(text: &str, weight: Weight, size: f32, max_width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || width(&candidate, weight, size) <= max_width {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_owned()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// The largest size, from `size` down to `min`, at which `text` wraps into at most
/// `max_lines` lines of `max_width`; at `min` it takes the lines it needs.
pub fn fit(
    text: &str,
    weight: Weight,
    size: f32,
    min: f32,
    max_width: f32,
    max_lines: usize,
) -> (f32, Vec<String>) {
    let mut size = size;
    loop {
        let lines = wrap(text, weight, size, max_width);
        if lines.len() <= max_lines || size <= min {
            return (size, lines);
        }
        size = (size - 1.0).max(min);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts_of(text: &str) -> Vec<(usize, String)> {
        let runs = runs(text, faces(Weight::Regular));
        assert_eq!(
            runs.iter().map(|r| r.text.as_str()).collect::<String>(),
            text
        );
        runs.into_iter().map(|r| (r.font, r.text)).collect()
    }

    fn one(font: usize, text: &str) -> Vec<(usize, String)> {
        vec![(font, text.to_owned())]
    }

    #[test]
    fn a_line_is_cut_into_runs_by_script() {
        assert_eq!(fonts_of("Dr. Priya Menon"), one(0, "Dr. Priya Menon"));
        assert_eq!(fonts_of("प्रिया मेनन"), one(1, "प्रिया मेनन"));
        assert_eq!(fonts_of("প্রিয়া"), one(2, "প্রিয়া"));
        assert_eq!(fonts_of("ਪ੍ਰਿਯਾ"), one(3, "ਪ੍ਰਿਯਾ"));
        assert_eq!(fonts_of("પ્રિયા"), one(4, "પ્રિયા"));
        assert_eq!(fonts_of("ପ୍ରିୟା"), one(5, "ପ୍ରିୟା"));
        assert_eq!(fonts_of("ப்ரியா மேனன்"), one(6, "ப்ரியா மேனன்"));
        assert_eq!(fonts_of("ప్రియా"), one(7, "ప్రియా"));
        assert_eq!(fonts_of("ಪ್ರಿಯಾ"), one(8, "ಪ್ರಿಯಾ"));
        assert_eq!(fonts_of("പ്രിയ മേനോൻ"), one(9, "പ്രിയ മേനോൻ"));
        // Mixed: letters go to their script's font; the space between stays in a run.
        let mixed = fonts_of("Dr. प्रिया Menon");
        assert_eq!(mixed.len(), 3, "{mixed:?}");
        assert_eq!((mixed[0].0, mixed[1].0, mixed[2].0), (0, 1, 0));
        assert!(mixed[1].1.starts_with("प्रिया"));
    }

    #[test]
    fn widths_grow_with_text_and_size_and_wrapping_respects_them() {
        let short = width("Priya", Weight::Regular, 12.0);
        assert!(short > 20.0 && short < 40.0, "{short}");
        assert!(width("Priya Menon", Weight::Regular, 12.0) > short);
        assert!((width("Priya", Weight::Regular, 24.0) - 2.0 * short).abs() < 0.01);
        assert!(width("प्रिया", Weight::Bold, 12.0) > 10.0);

        let text = "Painless jaundice in a fifty-eight year old man with weight loss";
        let lines = wrap(text, Weight::Bold, 18.0, 300.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        for l in &lines {
            assert!(width(l, Weight::Bold, 18.0) <= 300.0, "{l}");
        }
        // Too wide for one line at 18 pt, so it shrinks until it fits…
        let (size, lines) = fit(
            "Painless jaundice in a farmer",
            Weight::Bold,
            18.0,
            8.0,
            200.0,
            1,
        );
        assert!(size < 18.0 && lines.len() == 1, "{size} {lines:?}");
        assert!(width(&lines[0], Weight::Bold, size) <= 200.0);
        // …but never below the minimum: then it takes the lines it needs.
        let (size, lines) = fit(text, Weight::Bold, 18.0, 10.0, 100.0, 1);
        assert!(size == 10.0 && lines.len() > 1, "{size} {lines:?}");
    }

    /// Words in every script a certificate prints, and the odd characters names carry.
    const WORDS: &[&str] = &[
        "Dr.",
        "Priya",
        "Menon",
        "प्रिया",
        "মেনন",
        "ਪ੍ਰਿਆ",
        "પ્રિયા",
        "ପ୍ରିୟା",
        "பிரியா",
        "ప్రియా",
        "ಪ್ರಿಯಾ",
        "മേനോൻ",
        "।",
        "O'Brien",
        "Zoë",
        "Łukasz",
        "李",
        "😀",
        "\u{200d}",
        "\u{200b}",
        "\u{feff}",
        "\u{0}",
        "\u{7f}",
        "ﷺ",
        "مريم",
        "שלום",
        "a\u{301}",
        "-",
        "–",
        "(",
        ")",
        "&",
        "1,50,000",
        "Painless-obstructive-jaundice-in-a-fifty-eight-year-old-farmer",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Any mix of scripts wraps without losing or reordering a word, within the width
        /// except for a word longer than a line; `fit` stays between its sizes.
        #[test]
        fn any_text_wraps_and_fits(
            words in proptest::collection::vec(proptest::sample::select(WORDS), 0..24),
            spaces in proptest::collection::vec(proptest::sample::select(&[" ", "  ", "\t", "\n"][..]), 24),
            max_width in 40.0f32..700.0,
        ) {
            let text: String = words.iter().zip(&spaces).map(|(w, s)| format!("{w}{s}")).collect();
            for weight in [Weight::Regular, Weight::Bold] {
                let lines = wrap(&text, weight, 14.0, max_width);
                let words: Vec<&str> = text.split_whitespace().collect();
                proptest::prop_assert_eq!(lines.join(" "), words.join(" "));
                for line in &lines {
                    let w = width(line, weight, 14.0);
                    proptest::prop_assert!(w.is_finite() && w >= 0.0);
                    proptest::prop_assert!(w <= max_width || !line.contains(' '), "{} {}", line, w);
                }
                let (size, _) = fit(&text, weight, 18.0, 10.0, max_width, 2);
                proptest::prop_assert!((10.0..=18.0).contains(&size));
            }
        }
    }
}
