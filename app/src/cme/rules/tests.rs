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
