//! The CME rule engine: a clinician's credit this cycle against their medical council's
//! requirement profile. Rules are data (a [`Profile`]); this module is pure, so the same entries
//! always give the same answer, whatever order they come in.

use crate::cme::CreditType;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A council's requirement, e.g. Maharashtra: 30 points in 5 years, at least 6 each year, at
/// most 4 per event, online credit limited; Tamil Nadu: 30 hours per block, online at half.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub unit: CreditType,
    pub cycle_years: u32,
    pub total_required: f64,
    /// Credit needed in each year of the cycle (0 for none).
    pub per_year_minimum: f64,
    /// The most one event (conference, module) can count for.
    pub per_event_maximum: Option<f64>,
    /// The most online credit that counts in a cycle (after the online factor).
    pub online_cap: Option<f64>,
    /// How much an online unit counts (1.0 = fully, 0.5 = half).
    pub online_factor: f64,
}

/// One line of the credit ledger as the engine sees it. Corrections are entries with a negative
/// amount and the same `activity` as the entry they correct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub activity: String,
    pub date: NaiveDate,
    pub amount: f64,
    pub online: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Complete,
    OnTrack,
    Behind,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Complete => "Complete",
            Status::OnTrack => "On track",
            Status::Behind => "Behind",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearProgress {
    pub start: NaiveDate,
    /// The last day of the year of the cycle.
    pub end: NaiveDate,
    pub counted: f64,
    pub minimum: f64,
}

/// What counted of one activity, and why less than claimed when capped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counted {
    pub activity: String,
    pub date: NaiveDate,
    pub claimed: f64,
    pub counted: f64,
    pub online: bool,
    /// Why `counted` is below `claimed` (empty when it is not).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub cycle_start: NaiveDate,
    /// The last day of the cycle.
    pub cycle_end: NaiveDate,
    pub required: f64,
    pub counted: f64,
    pub online_counted: f64,
    pub years: Vec<YearProgress>,
    pub activities: Vec<Counted>,
    pub status: Status,
    /// A plain sentence: what is still needed, by when.
    pub gap: String,
}

/// The same day `years` later (1 March for a 29 February that year lacks): where a cycle ends.
pub fn add_years(date: NaiveDate, years: u32) -> NaiveDate {
    let target = date.year() + years as i32;
    date.with_year(target)
        // 29 February in a year without one: the cycle starts on 1 March instead.
        .or_else(|| NaiveDate::from_ymd_opt(target, 3, 1))
        .unwrap_or(date)
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn amount(v: f64) -> String {
    let v = round2(v);
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// Evaluates the ledger `entries` for the cycle that starts on `cycle_start`, as of `today`.
pub fn evaluate(
    profile: &Profile,
    cycle_start: NaiveDate,
    entries: &[Entry],
    today: NaiveDate,
) -> Progress {
    let cycle_years = profile.cycle_years.max(1);
    let cycle_next = add_years(cycle_start, cycle_years);
    let cycle_end = cycle_next.pred_opt().unwrap_or(cycle_next);

    // Net each activity (corrections cancel what they correct); sort by name so the order of
    // the entries cannot matter.
    let mut activities: Vec<(String, NaiveDate, f64, bool)> = Vec::new();
    for e in entries
        .iter()
        .filter(|e| e.date >= cycle_start && e.date < cycle_next && e.amount.is_finite())
    {
        match activities.iter_mut().find(|a| a.0 == e.activity) {
            Some(a) => {
                a.1 = a.1.min(e.date);
                a.2 += e.amount;
                a.3 |= e.online;
            }
            None => activities.push((e.activity.clone(), e.date, e.amount, e.online)),
        }
    }
    activities.sort_by(|a, b| a.0.cmp(&b.0));

    let mut counted: Vec<Counted> = activities
        .into_iter()
        .map(|(activity, date, net, online)| {
            let claimed = net.max(0.0);
            let mut value = claimed;
            let mut notes = Vec::new();
            if let Some(max) = profile.per_event_maximum {
                if value > max {
                    notes.push(format!(
                        "at most {} {} per event",
                        amount(max),
                        profile.unit
                    ));
                    value = max;
                }
            }
            if online && profile.online_factor < 1.0 {
                value *= profile.online_factor.max(0.0);
                notes.push(format!(
                    "online credit counts at {} %",
                    amount(profile.online_factor * 100.0)
                ));
            }
            Counted {
                activity,
                date,
                claimed,
                counted: value,
                online,
                notes,
            }
        })
        .collect();

    // The online cap scales every online activity alike (so no order decides which one loses).
    let online_total: f64 = counted.iter().filter(|c| c.online).map(|c| c.counted).sum();
    if let Some(cap) = profile.online_cap {
        if online_total > cap && online_total > 0.0 {
            let ratio = cap.max(0.0) / online_total;
            for c in counted.iter_mut().filter(|c| c.online) {
                c.counted *= ratio;
                c.notes.push(format!(
                    "online credit is capped at {} {} per cycle",
                    amount(cap),
                    profile.unit
                ));
            }
        }
    }
    let online_counted: f64 = counted.iter().filter(|c| c.online).map(|c| c.counted).sum();
    let total: f64 = counted.iter().map(|c| c.counted).sum();

    let years: Vec<YearProgress> = (0..cycle_years)
        .map(|i| {
            let start = add_years(cycle_start, i);
            let next = add_years(cycle_start, i + 1);
            YearProgress {
                start,
                end: next.pred_opt().unwrap_or(next),
                counted: counted
                    .iter()
                    .filter(|c| c.date >= start && c.date < next)
                    .map(|c| c.counted)
                    .sum(),
                minimum: profile.per_year_minimum,
            }
        })
        .collect();

    let missed_year = years
        .iter()
        .any(|y| y.end < today && y.counted + 1e-9 < y.minimum);
    let elapsed = (today - cycle_start).num_days().max(0) as f64;
    let length = (cycle_next - cycle_start).num_days().max(1) as f64;
    let expected = profile.total_required * (elapsed / length).min(1.0);
    let status = if total + 1e-9 >= profile.total_required && !missed_year {
        Status::Complete
    } else if missed_year || total + 1e-9 < expected {
        Status::Behind
    } else {
        Status::OnTrack
    };

    let remaining = (profile.total_required - total).max(0.0);
    let mut gap = if remaining <= 1e-9 {
        format!(
            "The cycle's {} {} are complete.",
            amount(profile.total_required),
            profile.unit
        )
    } else {
        format!(
            "{} more {} needed before {}",
            amount(remaining),
            profile.unit,
            cycle_end.format("%-d %b %Y")
        )
    };
    if remaining > 1e-9 {
        if let Some(cap) = profile.online_cap {
            let online_left = (cap - online_counted).max(0.0);
            gap.push_str(&format!("; at most {} more online", amount(online_left)));
        }
        gap.push('.');
    }
    if let Some(year) = years.iter().find(|y| y.start <= today && today <= y.end) {
        let short = year.minimum - year.counted;
        if short > 1e-9 {
            gap.push_str(&format!(
                " This year needs at least {} more by {}.",
                amount(short),
                year.end.format("%-d %b %Y")
            ));
        }
    }

    Progress {
        cycle_start,
        cycle_end,
        required: profile.total_required,
        counted: total,
        online_counted,
        years,
        activities: counted,
        status,
        gap,
    }
}

/// The profiles Corridor ships as seed data (editable by a site admin).
pub fn seed_profiles() -> Vec<Profile> {
    vec![
        Profile {
            name: "Maharashtra Medical Council".into(),
            unit: CreditType::Points,
            cycle_years: 5,
            total_required: 30.0,
            per_year_minimum: 6.0,
            per_event_maximum: Some(4.0),
            online_cap: Some(10.0),
            online_factor: 1.0,
        },
        Profile {
            name: "Tamil Nadu Medical Council".into(),
            unit: CreditType::Hours,
            cycle_years: 5,
            total_required: 30.0,
            per_year_minimum: 0.0,
            per_event_maximum: None,
            online_cap: None,
            online_factor: 0.5,
        },
    ]
}

#[cfg(test)]
mod tests;
