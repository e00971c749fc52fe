//! Feedback on an answered question, shown after answering and in the result.

use super::percent;
use crate::quiz::AnswerReview;
use leptos::prelude::*;

/// Feedback on one answer: right or not, the options' feedback, the explanation, the correct
/// answer and how other learners answered (as bars).
#[component]
pub(super) fn Review(review: AnswerReview) -> impl IntoView {
    let AnswerReview {
        fraction,
        feedback,
        explanation_html,
        correct,
        distribution,
        ..
    } = review;
    let (verdict, class) = if fraction >= 1.0 - 1e-9 {
        ("Correct".to_owned(), "review correct")
    } else if fraction > 0.0 {
        (
            format!("Partly correct ({})", percent(fraction)),
            "review partial",
        )
    } else {
        ("Not correct".to_owned(), "review wrong")
    };
    let total: i64 = distribution.iter().map(|(_, n)| n).sum();
    let chart_label = distribution
        .iter()
        .map(|(t, n)| format!("{t}: {n}"))
        .collect::<Vec<_>>()
        .join("; ");
    let chart_box = format!("0 0 300 {}", distribution.len() * 22);
    view! {
        <section class=class aria-label="Feedback">
            <p class="verdict"><strong>{verdict}</strong></p>
            {feedback.into_iter().map(|f| view! { <p>{f}</p> }).collect_view()}
            <p>"Answer: " {correct.join("; ")}</p>
            <div class="prose" inner_html=explanation_html></div>
            {(total > 0).then(|| view! {
                <figure class="distribution">
                    <figcaption>{format!("How learners answered ({total})")}</figcaption>
                    <svg viewBox=chart_box role="img" aria-label=chart_label>
                        {distribution.iter().enumerate().map(|(i, (label, n))| {
                            let w = if total > 0 { 180.0 * *n as f64 / total as f64 } else { 0.0 };
                            let y = i as f64 * 22.0;
                            let short: String = label.chars().take(18).collect();
                            view! {
                                <text x="0" y=y + 15.0 font-size="12">{short}</text>
                                <rect x="110" y=y + 4.0 width=w.max(1.0) height="14" class="bar" />
                                <text x=114.0 + w y=y + 15.0 font-size="12">{*n}</text>
                            }
                        }).collect_view()}
                    </svg>
                </figure>
            })}
        </section>
    }
}
