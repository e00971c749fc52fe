//! Credit this cycle against the requirement, as pictures.

use super::amount;
use crate::cme::rules::{Progress, Status};
use leptos::prelude::*;

/// Credit this cycle against the requirement, as pictures: one bar for the cycle, one per year
/// against its minimum; then the plain gap statement and what counted.
#[component]
pub(super) fn ProgressView(progress: Progress) -> impl IntoView {
    let Progress {
        cycle_start,
        cycle_end,
        required,
        counted,
        online_counted,
        years,
        activities,
        status,
        gap,
    } = progress;
    let share = (counted / required).clamp(0.0, 1.0);
    let status_class = match status {
        Status::Complete => "status complete",
        Status::OnTrack => "status on-track",
        Status::Behind => "status behind",
    };
    let year_max = years
        .iter()
        .map(|y| y.counted.max(y.minimum))
        .fold(1.0, f64::max);
    let label = format!("{} of {} this cycle", amount(counted), amount(required));
    view! {
        <section aria-labelledby="progress-h" class="card progress">
            <h2 id="progress-h">"This cycle"</h2>
            <p class="meta">{format!("{} to {}", cycle_start.format("%-d %b %Y"), cycle_end.format("%-d %b %Y"))}</p>
            <p><span class=status_class>{status.label()}</span> " " <strong>{label.clone()}</strong>
                {(online_counted > 0.0).then(|| format!(" ({} online)", amount(online_counted)))}</p>
            <svg class="cycle-bar" viewBox="0 0 300 24" role="img" aria-label=label preserveAspectRatio="none">
                <rect x="0" y="4" width="300" height="16" rx="8" class="track" />
                <rect x="0" y="4" width=300.0 * share height="16" rx="8" class="fill" />
            </svg>
            <p class="gap">{gap}</p>
            {(years.len() > 1).then(|| {
                let n = years.len() as f64;
                let aria = years.iter().enumerate().map(|(i, y)| format!("Year {}: {} of at least {}", i + 1, amount(y.counted), amount(y.minimum))).collect::<Vec<_>>().join("; ");
                view! {
                    <svg class="year-chart" viewBox=format!("0 0 {} 120", n * 60.0) role="img" aria-label=aria>
                        {years.iter().enumerate().map(|(i, y)| {
                            let x = i as f64 * 60.0 + 12.0;
                            let h = 90.0 * y.counted / year_max;
                            let min_y = 100.0 - 90.0 * y.minimum / year_max;
                            let class = if y.counted + 1e-9 >= y.minimum { "bar pass" } else { "bar fail" };
                            view! {
                                <rect class=class x=x y=100.0 - h width="36" height=h.max(1.0) />
                                {(y.minimum > 0.0).then(|| view! { <line class="pass-line" x1=x - 4.0 x2=x + 40.0 y1=min_y y2=min_y /> })}
                                <text x=x + 18.0 y="116" text-anchor="middle" font-size="11">{y.start.format("%Y").to_string()}</text>
                            }
                        }).collect_view()}
                    </svg>
                }
            })}
            {(!activities.is_empty()).then(|| view! {
                <details>
                    <summary>"What counted"</summary>
                    <ul>
                        {activities.into_iter().map(|a| {
                            let name = a.activity.split_once('#').map(|(_, n)| n.to_owned()).unwrap_or(a.activity.clone());
                            view! {
                                <li>{format!("{name}: {} of {}", amount(a.counted), amount(a.claimed))}
                                    {(!a.notes.is_empty()).then(|| format!(" ({})", a.notes.join("; ")))}</li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </section>
    }
}
