//! Twelve-lead ECGs drawn in code for the demo cases (no patient, no licence to track): the
//! standard paper (1 mm squares, 25 mm/s, 10 mm/mV), a 3 × 4 layout of 2.5-second panels and a
//! 10-second rhythm strip of lead II. Each beat is a sum of Gaussian waves (P, Q, R, S, T) plus
//! an ST shift, scaled per lead, so a lead shows what the teaching point needs.

use image::{Rgb, RgbImage};

/// Pixels per millimetre of ECG paper.
const PX_MM: f64 = 4.0;
/// 25 mm per second, 10 mm per millivolt.
const PX_PER_S: f64 = 25.0 * PX_MM;
const PX_PER_MV: f64 = 10.0 * PX_MM;
const MARGIN: u32 = 20;
const PANEL_S: f64 = 2.5;
const PANEL_W: u32 = (PANEL_S * PX_PER_S) as u32;
const ROW_H: u32 = 30 * PX_MM as u32;
pub const WIDTH: u32 = 2 * MARGIN + 4 * PANEL_W;
pub const HEIGHT: u32 = 2 * MARGIN + 4 * ROW_H;

/// The twelve leads in the order of the printed layout: columns I–III, aVR–aVF, V1–V3, V4–V6.
pub const LEADS: [&str; 12] = [
    "I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6",
];

/// How one lead scales the waves of lead II, and its ST shift in mV.
#[derive(Debug, Clone, Copy)]
pub struct Lead {
    pub p: f64,
    pub q: f64,
    pub r: f64,
    pub s: f64,
    pub t: f64,
    pub st: f64,
}

const fn lead(p: f64, q: f64, r: f64, s: f64, t: f64) -> Lead {
    Lead {
        p,
        q,
        r,
        s,
        t,
        st: 0.0,
    }
}

/// A normal sinus rhythm's leads (a normal axis, R waves growing across the chest).
const NORMAL: [Lead; 12] = [
    lead(0.8, 0.6, 0.7, 0.3, 0.8),
    lead(1.0, 1.0, 1.0, 1.0, 1.0),
    lead(0.5, 0.5, 0.5, 0.8, 0.5),
    lead(-0.8, 0.0, -0.8, 0.2, -0.7),
    lead(0.3, 0.8, 0.4, 0.5, 0.3),
    lead(0.7, 0.8, 0.8, 0.8, 0.7),
    lead(0.6, 0.0, 0.2, 2.8, -0.2),
    lead(0.6, 0.0, 0.5, 2.4, 0.9),
    lead(0.6, 0.3, 0.9, 1.6, 1.0),
    lead(0.6, 0.5, 1.4, 0.8, 1.0),
    lead(0.6, 0.6, 1.3, 0.4, 0.8),
    lead(0.6, 0.6, 1.0, 0.2, 0.6),
];

/// A recording: its rate, wave shapes and leads.
#[derive(Debug, Clone)]
pub struct Ecg {
    pub rate: f64,
    /// Width (seconds, one standard deviation) of the QRS waves and of the T wave; P and T
    /// amplitudes of lead II in mV.
    pub qrs_width: f64,
    pub t_width: f64,
    pub p_amp: f64,
    pub t_amp: f64,
    pub leads: [Lead; 12],
}

impl Ecg {
    /// An acute inferior STEMI with sinus bradycardia: ST elevation in II, III and aVF (III
    /// more than II), reciprocal depression in I and aVL, broad T waves.
    pub fn inferior_stemi() -> Ecg {
        let mut leads = NORMAL;
        for (i, st) in [
            (1, 0.22),
            (2, 0.32),
            (5, 0.27),
            (0, -0.12),
            (4, -0.18),
            (7, -0.06),
        ] {
            leads[i].st = st;
        }
        for i in [1, 2, 5] {
            leads[i].t *= 1.6;
        }
        Ecg {
            rate: 54.0,
            qrs_width: 0.010,
            t_width: 0.055,
            p_amp: 0.15,
            t_amp: 0.3,
            leads,
        }
    }

    /// Hyperkalaemia: tall, narrow, peaked T waves (most of all in V2–V4), flat P waves and a
    /// widening QRS.
    pub fn hyperkalaemia() -> Ecg {
        let mut leads = NORMAL;
        for (i, boost) in [(7, 1.9), (8, 2.2), (9, 1.8)] {
            leads[i].t *= boost;
        }
        leads[6].t = 0.8;
        Ecg {
            rate: 72.0,
            qrs_width: 0.016,
            t_width: 0.032,
            p_amp: 0.04,
            t_amp: 0.55,
            leads,
        }
    }

    /// The voltage (mV) of lead `lead` (index into [`LEADS`]) at `t` seconds of the recording.
    pub fn voltage(&self, lead: usize, t: f64) -> f64 {
        let rr = 60.0 / self.rate;
        // The first R wave 0.35 s in; the nearest beat and its neighbours decide the value.
        let k = ((t - 0.35) / rr).round();
        (-1..=1)
            .map(|d| self.beat(&self.leads[lead], t - (0.35 + (k + d as f64) * rr)))
            .sum()
    }

    /// One beat, `t` seconds from its R peak.
    fn beat(&self, l: &Lead, t: f64) -> f64 {
        let g = |amp: f64, at: f64, width: f64| amp * (-((t - at) / width).powi(2) / 2.0).exp();
        let w = self.qrs_width;
        let sigmoid = |x: f64| 1.0 / (1.0 + (-x).exp());
        // The ST shift starts at the J point and fades into the T wave.
        let st = l.st * (sigmoid((t - 3.5 * w) / 0.006) - sigmoid((t - 0.30) / 0.03));
        g(self.p_amp * l.p, -0.17, 0.022)
            + g(-0.1 * l.q, -2.5 * w, w * 0.8)
            + g(1.1 * l.r, 0.0, w)
            + g(-0.3 * l.s, 2.5 * w, w * 0.9)
            + g(self.t_amp * l.t, 0.27, self.t_width)
            + st
    }
}

/// Where lead `lead`'s panel is on the page: (left, top, width, height) in pixels.
pub fn panel(lead: usize) -> (u32, u32, u32, u32) {
    let (column, row) = (lead as u32 / 3, lead as u32 % 3);
    (
        MARGIN + column * PANEL_W,
        MARGIN + row * ROW_H,
        PANEL_W,
        ROW_H,
    )
}

/// The same box as fractions of the page (for annotations and hotspot regions).
pub fn panel_fraction(lead: usize) -> (f64, f64, f64, f64) {
    let (x, y, w, h) = panel(lead);
    (
        x as f64 / WIDTH as f64,
        y as f64 / HEIGHT as f64,
        w as f64 / WIDTH as f64,
        h as f64 / HEIGHT as f64,
    )
}

/// The point (fractions of the page) of lead `lead` at `t` seconds after the first R wave of
/// its panel, on the trace.
pub fn point(ecg: &Ecg, lead: usize, t: f64) -> (f64, f64) {
    let (x0, y0, _, h) = panel(lead);
    let start = (lead as u32 / 3) as f64 * PANEL_S;
    let rr = 60.0 / ecg.rate;
    let first_r = 0.35 + ((start - 0.35) / rr).ceil().max(0.0) * rr;
    let at = first_r + t;
    let x = x0 as f64 + (at - start) * PX_PER_S;
    let y = y0 as f64 + h as f64 * 0.6 - ecg.voltage(lead, at) * PX_PER_MV;
    (x / WIDTH as f64, y / HEIGHT as f64)
}

/// The whole page as an RGB picture.
pub fn draw(ecg: &Ecg) -> RgbImage {
    let mut img = RgbImage::from_pixel(WIDTH, HEIGHT, Rgb([255, 251, 250]));
    let minor = Rgb([249, 218, 216]);
    let major = Rgb([232, 160, 158]);
    for x in (MARGIN..=WIDTH - MARGIN).step_by(PX_MM as usize) {
        let colour = if (x - MARGIN).is_multiple_of(5 * PX_MM as u32) {
            major
        } else {
            minor
        };
        for y in MARGIN..=HEIGHT - MARGIN {
            img.put_pixel(x, y, colour);
        }
    }
    for y in (MARGIN..=HEIGHT - MARGIN).step_by(PX_MM as usize) {
        let colour = if (y - MARGIN).is_multiple_of(5 * PX_MM as u32) {
            major
        } else {
            minor
        };
        for x in MARGIN..=WIDTH - MARGIN {
            img.put_pixel(x, y, colour);
        }
    }
    let ink = Rgb([24, 24, 28]);
    // The twelve panels, each 2.5 s of the same 10-second recording.
    for (i, name) in LEADS.iter().enumerate() {
        let (x0, y0, w, h) = panel(i);
        let start = (i as u32 / 3) as f64 * PANEL_S;
        let base = y0 as f64 + h as f64 * 0.6;
        trace(&mut img, x0, w, base, ink, |t| ecg.voltage(i, start + t));
        text(&mut img, x0 + 6, y0 + 8, name, ink);
        if i >= 3 {
            // The lead change mark between panels.
            line(
                &mut img,
                (x0 as f64, base - 12.0),
                (x0 as f64, base + 12.0),
                ink,
            );
        }
    }
    // The rhythm strip: lead II for all 10 s, after a 1 mV calibration pulse.
    let y0 = MARGIN + 3 * ROW_H;
    let base = y0 as f64 + ROW_H as f64 * 0.6;
    let x0 = MARGIN as f64;
    let cal_w = 0.2 * PX_PER_S;
    for (a, b) in [
        ((x0, base), (x0 + 4.0, base)),
        ((x0 + 4.0, base), (x0 + 4.0, base - PX_PER_MV)),
        (
            (x0 + 4.0, base - PX_PER_MV),
            (x0 + 4.0 + cal_w, base - PX_PER_MV),
        ),
        (
            (x0 + 4.0 + cal_w, base - PX_PER_MV),
            (x0 + 4.0 + cal_w, base),
        ),
    ] {
        line(&mut img, a, b, ink);
    }
    let offset = (4.0 + cal_w + 8.0) as u32;
    trace(
        &mut img,
        MARGIN + offset,
        4 * PANEL_W - offset,
        base,
        ink,
        |t| ecg.voltage(1, t),
    );
    text(&mut img, MARGIN + offset + 6, y0 + 8, "II", ink);
    img
}

/// Draws `volts(t)` for `width` pixels from `x0`, `base` being 0 mV.
fn trace(
    img: &mut RgbImage,
    x0: u32,
    width: u32,
    base: f64,
    ink: Rgb<u8>,
    volts: impl Fn(f64) -> f64,
) {
    let steps = width * 4;
    let at = |i: u32| {
        let t = i as f64 / 4.0 / PX_PER_S;
        (x0 as f64 + i as f64 / 4.0, base - volts(t) * PX_PER_MV)
    };
    for i in 0..steps {
        line(img, at(i), at(i + 1), ink);
    }
}

/// A line about 2 px wide.
fn line(img: &mut RgbImage, a: (f64, f64), b: (f64, f64), ink: Rgb<u8>) {
    let n = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) * 2.0)
        .ceil()
        .max(1.0) as u32;
    for i in 0..=n {
        let f = i as f64 / n as f64;
        let (x, y) = (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f);
        for (dx, dy) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
            let (px, py) = ((x - 0.5 + dx).floor(), (y - 0.5 + dy).floor());
            if px >= 0.0 && py >= 0.0 && (px as u32) < img.width() && (py as u32) < img.height() {
                img.put_pixel(px as u32, py as u32, ink);
            }
        }
    }
}

/// Lead names in a 5 × 7 pixel font, drawn at twice the size.
fn text(img: &mut RgbImage, x: u32, y: u32, s: &str, ink: Rgb<u8>) {
    let mut cx = x;
    for c in s.chars() {
        let rows: [u8; 7] = match c {
            'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
            'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
            'a' => [0x00, 0x00, 0x0E, 0x01, 0x0F, 0x11, 0x0F],
            'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
            'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
            'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
            '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
            '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
            '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
            '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
            '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
            '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
            _ => [0; 7],
        };
        for (r, bits) in rows.iter().enumerate() {
            for col in 0..5 {
                if bits & (0x10 >> col) != 0 {
                    for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                        img.put_pixel(cx + col * 2 + dx, y + r as u32 * 2 + dy, ink);
                    }
                }
            }
        }
        cx += 12;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead_index(name: &str) -> usize {
        LEADS.iter().position(|l| *l == name).unwrap()
    }

    /// The ST segment's level: 80 ms after the R peak of a beat.
    fn st_level(ecg: &Ecg, name: &str) -> f64 {
        let rr = 60.0 / ecg.rate;
        ecg.voltage(lead_index(name), 0.35 + 2.0 * rr + 0.08)
    }

    #[test]
    fn the_stemi_shows_inferior_elevation_with_reciprocal_depression() {
        let ecg = Ecg::inferior_stemi();
        for lead in ["II", "III", "aVF"] {
            assert!(
                st_level(&ecg, lead) > 0.15,
                "{lead}: {}",
                st_level(&ecg, lead)
            );
        }
        assert!(st_level(&ecg, "III") > st_level(&ecg, "II"));
        for lead in ["I", "aVL"] {
            assert!(
                st_level(&ecg, lead) < -0.08,
                "{lead}: {}",
                st_level(&ecg, lead)
            );
        }
        assert!(st_level(&ecg, "V5").abs() < 0.05, "no ST shift laterally");
    }

    #[test]
    fn hyperkalaemia_peaks_the_t_waves_and_flattens_the_p_waves() {
        let (high, normal) = (Ecg::hyperkalaemia(), Ecg::inferior_stemi());
        let peak = |ecg: &Ecg, name: &str, at: f64| {
            let rr = 60.0 / ecg.rate;
            ecg.voltage(lead_index(name), 0.35 + rr + at)
        };
        assert!(
            peak(&high, "V3", 0.27) > 1.0,
            "a T wave taller than 1 mV in V3"
        );
        assert!(peak(&high, "V3", 0.27) > 2.0 * peak(&normal, "V3", 0.27));
        assert!(peak(&high, "II", -0.17) < 0.06, "flat P wave");
        // Narrow: 60 ms off the peak the T wave has lost most of its height.
        assert!(peak(&high, "V3", 0.33) < 0.5 * peak(&high, "V3", 0.27));
    }

    #[test]
    fn the_page_has_a_trace_on_a_grid_and_points_fall_on_their_panels() {
        let ecg = Ecg::inferior_stemi();
        let img = draw(&ecg);
        assert_eq!((img.width(), img.height()), (WIDTH, HEIGHT));
        let dark = img.pixels().filter(|p| p.0.iter().all(|&c| c < 60)).count();
        assert!(dark > 5_000, "ink on the page: {dark} dark pixels");
        let (x, y) = point(&ecg, lead_index("III"), 0.08);
        let (px, py, pw, ph) = panel_fraction(lead_index("III"));
        assert!(
            x > px && x < px + pw && y > py && y < py + ph,
            "({x}, {y}) in III's panel"
        );
        // The point is on the trace: dark ink within two pixels of it.
        let (cx, cy) = ((x * WIDTH as f64) as i64, (y * HEIGHT as f64) as i64);
        let near = (-2..=2)
            .flat_map(|dx| (-2..=2).map(move |dy| (cx + dx, cy + dy)))
            .any(|(a, b)| img.get_pixel(a as u32, b as u32).0.iter().all(|&c| c < 60));
        assert!(near, "ink at the ST point of III");
    }
}
