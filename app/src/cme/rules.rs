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

fn add_years(date: NaiveDate, years: u32) -> NaiveDate {
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
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn mmc() -> Profile {
        seed_profiles().remove(0)
    }

    fn entry(activity: &str, date: NaiveDate, amount: f64, online: bool) -> Entry {
        Entry {
            activity: activity.into(),
            date,
            amount,
            online,
        }
    }

    #[test]
    fn per_event_maximum_and_plain_gap_statement() {
        let entries = vec![
            entry("Annual surgical conference", d(2023, 2, 10), 6.0, false),
            entry("Corridor: painless jaundice", d(2023, 3, 1), 1.0, true),
        ];
        let p = evaluate(&mmc(), d(2023, 1, 1), &entries, d(2023, 6, 1));
        assert_eq!(p.counted, 5.0, "the conference counts 4, not 6");
        let conference = p
            .activities
            .iter()
            .find(|a| a.activity.starts_with("Annual"))
            .unwrap();
        assert_eq!((conference.claimed, conference.counted), (6.0, 4.0));
        assert_eq!(conference.notes, vec!["at most 4 points per event"]);
        assert_eq!(p.cycle_end, d(2027, 12, 31));
        assert_eq!(
            p.gap,
            "25 more points needed before 31 Dec 2027; at most 9 more online. This year needs at least 1 more by 31 Dec 2023."
        );
        assert_eq!(p.status, Status::OnTrack);
    }

    #[test]
    fn corrections_cancel_and_missed_years_put_you_behind() {
        let entries = vec![
            entry("Workshop", d(2023, 5, 1), 4.0, false),
            entry("Workshop", d(2023, 6, 1), -4.0, false),
        ];
        let p = evaluate(&mmc(), d(2023, 1, 1), &entries, d(2024, 2, 1));
        assert_eq!(p.counted, 0.0);
        assert_eq!(p.years[0].counted, 0.0);
        assert_eq!(p.status, Status::Behind, "2023 ended below its minimum");
    }

    #[test]
    fn online_credit_counts_at_half_in_tamil_nadu() {
        let tn = seed_profiles().remove(1);
        let entries = vec![
            entry("Webinar", d(2024, 1, 10), 10.0, true),
            entry("CME day", d(2024, 2, 10), 25.0, false),
        ];
        let p = evaluate(&tn, d(2024, 1, 1), &entries, d(2024, 3, 1));
        assert_eq!(p.counted, 30.0);
        assert_eq!(p.online_counted, 5.0);
        assert_eq!(p.status, Status::Complete);
        assert_eq!(p.gap, "The cycle's 30 hours are complete.");
    }

    #[test]
    fn entries_outside_the_cycle_do_not_count() {
        let entries = vec![
            entry("Old", d(2022, 12, 31), 4.0, false),
            entry("Next cycle", d(2028, 1, 1), 4.0, false),
        ];
        let p = evaluate(&mmc(), d(2023, 1, 1), &entries, d(2023, 1, 2));
        assert_eq!(p.counted, 0.0);
    }

    fn arb_entries() -> impl Strategy<Value = Vec<Entry>> {
        prop::collection::vec(
            (0usize..6, 0i64..(5 * 365), -5.0f64..12.0, any::<bool>()),
            0..25,
        )
        .prop_map(|raw| {
            raw.into_iter()
                .map(|(activity, day, amount, online)| Entry {
                    activity: format!("activity {activity}"),
                    date: d(2023, 1, 1) + chrono::Duration::days(day),
                    amount: (amount * 4.0).round() / 4.0,
                    online,
                })
                .collect()
        })
    }

    fn arb_profile() -> impl Strategy<Value = Profile> {
        (
            1u32..6,
            prop::option::of(1.0f64..8.0),
            prop::option::of(0.0f64..15.0),
            prop::sample::select(vec![0.5, 1.0]),
        )
            .prop_map(|(years, per_event, online_cap, factor)| Profile {
                name: "generated".into(),
                unit: CreditType::Points,
                cycle_years: years,
                total_required: 30.0,
                per_year_minimum: 2.0,
                per_event_maximum: per_event,
                online_cap,
                online_factor: factor,
            })
    }

    proptest! {
        #[test]
        fn totals_never_exceed_caps(profile in arb_profile(), entries in arb_entries()) {
            let p = evaluate(&profile, d(2023, 1, 1), &entries, d(2025, 6, 1));
            if let Some(cap) = profile.online_cap {
                prop_assert!(p.online_counted <= cap + 1e-6);
            }
            for a in &p.activities {
                prop_assert!(a.counted >= 0.0);
                prop_assert!(a.counted <= a.claimed + 1e-9);
                if let Some(max) = profile.per_event_maximum {
                    prop_assert!(a.counted <= max + 1e-9);
                }
            }
            let claimed: f64 = p.activities.iter().map(|a| a.claimed).sum();
            prop_assert!(p.counted <= claimed + 1e-6);
            let by_year: f64 = p.years.iter().map(|y| y.counted).sum();
            prop_assert!((by_year - p.counted).abs() < 0.02);
        }

        #[test]
        fn the_order_of_entries_does_not_change_the_result(
            profile in arb_profile(),
            entries in arb_entries(),
            seed in any::<u64>(),
        ) {
            let mut shuffled = entries.clone();
            // A deterministic shuffle from the seed.
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let a = evaluate(&profile, d(2023, 1, 1), &entries, d(2025, 6, 1));
            let b = evaluate(&profile, d(2023, 1, 1), &shuffled, d(2025, 6, 1));
            prop_assert_eq!(a.counted, b.counted);
            prop_assert_eq!(a.status, b.status);
            prop_assert_eq!(a.gap, b.gap);
            prop_assert_eq!(a.activities.len(), b.activities.len());
        }
    }
}
