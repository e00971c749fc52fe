//! The pool page's chart, drawn on the server as inline SVG: per week, the consults received
//! and those answered within the target. It scales to the width of the page (a phone's 360 px
//! included), and a table under it says the same in words for anyone who cannot see it.

use crate::consults::people::WeekBar;
use leptos::prelude::*;

/// Width of one week's slot, and the chart's drawing height, in SVG units.
const SLOT: usize = 24;
const HEIGHT: usize = 120;
const LEFT: usize = 28;
const BOTTOM: usize = 18;

#[component]
pub fn WeeklyChart(weeks: Vec<WeekBar>) -> impl IntoView {
    let received: i64 = weeks.iter().map(|w| w.received).sum();
    let in_target: i64 = weeks.iter().map(|w| w.within_target).sum();
    let max = weeks.iter().map(|w| w.received).max().unwrap_or(0).max(1);
    let width = LEFT + SLOT * weeks.len().max(1);
    let plot = (HEIGHT - BOTTOM - 8) as f64;
    let bar = |n: i64| (n as f64 / max as f64) * plot;
    let base = (HEIGHT - BOTTOM) as f64;
    let summary = format!(
        "{} weeks: {received} consults received, {in_target} answered within the target; \
         at most {max} in one week.",
        weeks.len()
    );
    // At most seven date labels, so they never overlap on a phone.
    let every = weeks.len().div_ceil(7).max(1);
    let bars = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let x = (LEFT + SLOT * i) as f64;
            let (r, t) = (bar(w.received), bar(w.within_target));
            let label = (i % every == 0).then(|| {
                view! {
                    <text x={x + 2.0} y={HEIGHT - 4} class="chart-label">{w.week.format("%-d %b").to_string()}</text>
                }
            });
            view! {
                <g>
                    <rect x={x + 2.0} y={base - r} width="9" height=r class="chart-received" />
                    <rect x={x + 12.0} y={base - t} width="9" height=t class="chart-in-target" />
                    {label}
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {width} {HEIGHT}") width="100%" role="img"
                aria-labelledby="weekly-chart-title weekly-chart-desc" preserveAspectRatio="xMinYMin meet">
                <title id="weekly-chart-title">"Consults received and answered within the target, per week"</title>
                <desc id="weekly-chart-desc">{summary.clone()}</desc>
                <line x1=LEFT y1=base x2=width y2=base class="chart-axis" />
                <text x="0" y="12" class="chart-label">{max}</text>
                <text x="0" y=base class="chart-label">"0"</text>
                {bars}
            </svg>
            <figcaption>
                <span class="chart-key chart-received">"■"</span>" received · "
                <span class="chart-key chart-in-target">"■"</span>" answered within the target"
            </figcaption>
            <details>
                <summary>"The chart's numbers"</summary>
                <div class="table-scroll">
                    <table>
                        <thead><tr><th scope="col">"Week of"</th><th scope="col">"Received"</th><th scope="col">"Answered within the target"</th></tr></thead>
                        <tbody>
                            {weeks.iter().map(|w| view! {
                                <tr>
                                    <td>{w.week.format("%Y-%m-%d").to_string()}</td>
                                    <td class="num">{w.received}</td>
                                    <td class="num">{w.within_target}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}
