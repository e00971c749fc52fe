//! Demo consults: a general practitioner at a small rural hospital asks the demo college's
//! specialists, as she would on WhatsApp today. The cardiology department runs a pool (its head
//! sets the targets, Dr. Farah Siddiqui responds), and there are consults in several states so
//! that each side has something to look at and to do: one waiting in the pool, one where the
//! cardiologist asked for more, one answered and waiting for the close-out, one closed with a
//! rating, and a draft.
//!
//! Every step goes through `app::consults::db` (the guarded transitions and their events), dated
//! in the past, so each consult's history reads as it would have happened.

use super::{DemoUser, SeedError, INSTITUTION};
use app::accounts::Role;
use app::consults::db;
use app::consults::{
    Action, AgeBand, Answer, Closeout, ConsentMethod, ConsentRecord, ConsultText, MessageKind,
    NewConsult, Outcome, Recipient, Referral, Sex, State, Urgency,
};
use app::error::AppError;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

pub const RURAL_HOSPITAL: &str = "Wai Rural Hospital";
pub const GP_EMAIL: &str = "gauri.patil@wai.demo.corridor.in";
pub const CARDIOLOGY_HEAD_EMAIL: &str = "anil.joshi@demo.corridor.in";
const CARDIOLOGIST: &str = "farah.siddiqui@demo.corridor.in";
const DERMATOLOGIST: &str = "arjun.nair@demo.corridor.in";

/// The rural hospital's GP and the college's head of cardiology, with their institutions.
pub const PEOPLE: [(DemoUser, &str); 2] = [
    (
        DemoUser {
            email: GP_EMAIL,
            name: "Dr. Gauri Patil",
            designation: "Medical Officer, Wai Rural Hospital",
            specialty: "general-medicine",
            department: "General Medicine",
            role: Role::Mentor,
        },
        RURAL_HOSPITAL,
    ),
    (
        DemoUser {
            email: CARDIOLOGY_HEAD_EMAIL,
            name: "Dr. Anil Joshi",
            designation: "Head of Department, Cardiology",
            specialty: "cardiology",
            department: "Cardiology",
            role: Role::DepartmentAdmin,
        },
        INSTITUTION,
    ),
];

/// Where a demo consult has got to.
#[derive(Clone, Copy, PartialEq)]
enum Stage {
    Draft,
    /// Sent to the pool, nobody has accepted it yet.
    Waiting,
    /// Accepted; the responder asked for more information.
    InfoRequested,
    Answered,
    Closed,
}

struct DemoConsult {
    stage: Stage,
    /// A named colleague's email, or `None` for the cardiology pool.
    to: Option<&'static str>,
    /// How long ago it was sent.
    hours_ago: i64,
    text: fn() -> ConsultText,
    request: &'static str,
    answer: Option<fn() -> Answer>,
}

fn text(
    specialty: &str,
    urgency: Urgency,
    question: &str,
    sbar: [&str; 4],
    patient: (AgeBand, Sex),
    details: [&str; 4],
) -> ConsultText {
    ConsultText {
        specialty: specialty.into(),
        urgency,
        question: question.into(),
        situation: sbar[0].into(),
        background: sbar[1].into(),
        assessment: sbar[2].into(),
        ask: sbar[3].into(),
        age_band: Some(patient.0),
        sex: Some(patient.1),
        findings: details[0].into(),
        investigations: details[1].into(),
        medicines: details[2].into(),
        tried: details[3].into(),
    }
}

const CONSULTS: [DemoConsult; 5] = [
    DemoConsult {
        stage: Stage::Closed,
        to: Some(DERMATOLOGIST),
        hours_ago: 24 * 9,
        text: || text(
            "dermatology",
            Urgency::Routine,
            "Spreading ring-shaped plaques on the trunk for three months, worse after a cream from the chemist: tinea modified by steroid, or something else?",
            [
                "Itchy, spreading annular plaques on the trunk and groin for three months.",
                "Farm worker. Bought a steroid–antifungal–antibiotic combination cream at the chemist two months ago; itch settled for a week, then the rash spread.",
                "Probably tinea corporis et cruris modified by topical steroid. Two household members have similar itching.",
                "Is this tinea incognito, and what oral treatment and duration would you use here, where KOH microscopy is not available?",
            ],
            (AgeBand::From18To39, Sex::Male),
            [
                "Multiple annular plaques with raised scaly borders, central clearing less marked than usual; no pustules.",
                "None available at our centre.",
                "Combination cream (clobetasol, ofloxacin, ornidazole, terbinafine) twice daily for eight weeks.",
                "Stopped the combination cream one week ago.",
            ],
        ),
        request: "",
        answer: Some(|| Answer {
            impression: "Tinea corporis et cruris made worse and atypical by a potent topical steroid (tinea incognito). The household spread fits a dermatophyte, most likely Trichophyton mentagrophytes/interdigitale, now common across India.".into(),
            recommendations: "Stop every steroid combination cream for good. Oral itraconazole 100 mg twice daily (or 200 mg daily with food) for 4–6 weeks, continuing two weeks after the skin clears; plus a plain azole cream (luliconazole or sertaconazole) once daily. Treat the household at the same time. Wash and sun-dry clothes and towels; no sharing.".into(),
            red_flags: "Pustules, fever, spread despite four weeks of itraconazole, or a diabetic or immunosuppressed patient: send to us.".into(),
            referral: Referral::No,
            investigations: "Liver function tests before and at four weeks if there is a liver history or alcohol use.".into(),
            citations: "IADVL Task Force consensus on the management of dermatophytosis in India (2018).".into(),
            free_text: "Worth telling the chemist too: these combination creams drive the epidemic.".into(),
        }),
    },
    DemoConsult {
        stage: Stage::Answered,
        to: Some(CARDIOLOGIST),
        hours_ago: 30,
        text: || text(
            "cardiology",
            Urgency::Soon,
            "Breathless on exertion with a left bundle branch block I cannot date: does she need an urgent echo, or can she wait for the district camp?",
            [
                "Breathless climbing the hill to her field for two months; no chest pain at rest, no syncope.",
                "Hypertensive for ten years, on amlodipine. No old ECG for comparison.",
                "ECG: sinus rhythm 88/min, LBBB. Fine basal crackles. Probably heart failure with reduced ejection fraction from hypertension or ischaemia.",
                "Should she be sent to the city this week, and what can I start here meanwhile?",
            ],
            (AgeBand::From40To64, Sex::Female),
            [
                "BP 150/94, mild pedal oedema, JVP not raised at 45°.",
                "Haemoglobin 11.2 g/dL; creatinine 0.9 mg/dL; random glucose 132 mg/dL.",
                "Amlodipine 5 mg daily.",
                "Nothing yet.",
            ],
        ),
        request: "",
        answer: Some(|| Answer {
            impression: "A new-to-you LBBB with exertional breathlessness and crackles is heart failure until proven otherwise; LBBB itself does not need an urgent transfer when she is stable and pain-free.".into(),
            recommendations: "Start furosemide 20–40 mg in the morning, titrated to weight and breathlessness. Switch amlodipine to enalapril 2.5 mg twice daily (check creatinine and potassium after a week), then add metoprolol succinate 12.5–25 mg once she is not congested. Echo within two weeks: the district camp is fine if it is within that time.".into(),
            red_flags: "Chest pain at rest, breathlessness lying flat or at rest, syncope, or heart rate below 50: send her the same day.".into(),
            referral: Referral::Routine,
            investigations: "Echo; sodium, potassium and creatinine after a week on enalapril; thyroid function.".into(),
            citations: "ESC 2021 heart failure guideline; CSI position statement on heart failure in India.".into(),
            free_text: String::new(),
        }),
    },
    DemoConsult {
        stage: Stage::InfoRequested,
        to: Some(CARDIOLOGIST),
        hours_ago: 20,
        text: || text(
            "cardiology",
            Urgency::Routine,
            "Recurrent palpitations in a young woman with a normal resting ECG and no Holter nearby: what next?",
            [
                "Episodes of fast regular palpitations lasting 10–30 minutes, twice a month, starting and stopping suddenly.",
                "No known heart disease. Episodes sometimes stop when she bends down.",
                "Resting ECG normal, no pre-excitation seen. Possibly a re-entrant SVT.",
                "Is a referral needed, and what can she do during an episode?",
            ],
            (AgeBand::From18To39, Sex::Female),
            [
                "Pulse 76 regular, BP 112/70, no murmur.",
                "Resting ECG normal; haemoglobin 12.1 g/dL.",
                "None.",
                "Reassurance.",
            ],
        ),
        request: "Could she or a relative record an ECG during an episode (we have a 12-lead at your centre?), or at least count the pulse? And please send thyroid function if it has been done.",
        answer: None,
    },
    DemoConsult {
        stage: Stage::Waiting,
        to: None,
        hours_ago: 2,
        text: || text(
            "cardiology",
            Urgency::Soon,
            "Slow pulse on atenolol without symptoms: stop it, halve it, or refer before the cardiology OPD in two weeks?",
            [
                "Pulse 48/min at a routine BP check; no dizziness, no syncope, no breathlessness.",
                "Hypertension for six years on atenolol 50 mg daily; dose unchanged for years.",
                "Sinus bradycardia, probably from atenolol; no features of heart block on a rhythm strip.",
                "How would you change his treatment until the OPD?",
            ],
            (AgeBand::From65To79, Sex::Male),
            [
                "BP 146/88; no signs of heart failure.",
                "ECG: sinus bradycardia 48/min, PR 180 ms, narrow QRS; potassium 4.6 mmol/L; TSH pending.",
                "Atenolol 50 mg daily, aspirin 75 mg.",
                "Nothing changed yet.",
            ],
        ),
        request: "",
        answer: None,
    },
    DemoConsult {
        stage: Stage::Draft,
        to: Some(CARDIOLOGIST),
        hours_ago: 1,
        text: || text(
            "cardiology",
            Urgency::Routine,
            "High blood pressure in a man in his twenties: which tests before I start treatment?",
            ["", "", "", ""],
            (AgeBand::From18To39, Sex::Male),
            ["", "", "", ""],
        ),
        request: "",
        answer: None,
    },
];

/// The rural hospital, its GP, the cardiology head and pool, and the consults. Idempotent: the
/// consults are seeded only once, with the GP's account.
pub async fn seed(pool: &PgPool) -> Result<(), SeedError> {
    let institution: i64 = sqlx::query_scalar(
        "insert into institutions (name, city) values ($1, 'Wai')
         on conflict (name) do update set name = excluded.name returning id",
    )
    .bind(RURAL_HOSPITAL)
    .fetch_one(pool)
    .await?;
    sqlx::query(
        "insert into departments (institution_id, name) values ($1, 'General Medicine')
         on conflict (institution_id, name) do nothing",
    )
    .bind(institution)
    .execute(pool)
    .await?;

    let gp_existed: bool =
        sqlx::query_scalar("select exists(select 1 from users where email = $1)")
            .bind(GP_EMAIL)
            .fetch_one(pool)
            .await?;
    let mut hash: Option<String> = None;
    for (user, institution) in &PEOPLE {
        super::staff(pool, &mut hash, user, institution).await?;
    }

    // Cardiology at the college takes consults: routine within 72 h, soon within 24 h,
    // acknowledged within 12 h; Dr. Farah Siddiqui responds.
    let cardiology: i64 = sqlx::query_scalar(
        "select d.id from departments d join institutions i on i.id = d.institution_id
         where i.name = $1 and d.name = 'Cardiology'",
    )
    .bind(INSTITUTION)
    .fetch_one(pool)
    .await?;
    sqlx::query(
        "insert into consult_pools (department_id, accepting, routine_hours, soon_hours, ack_hours)
         values ($1, true, 72, 24, 12) on conflict (department_id) do nothing",
    )
    .bind(cardiology)
    .execute(pool)
    .await?;
    sqlx::query(
        "insert into consult_pool_responders (department_id, user_id, added_by)
         select $1, r.id, h.id from users r, users h where r.email = $2 and h.email = $3
         on conflict do nothing",
    )
    .bind(cardiology)
    .bind(CARDIOLOGIST)
    .bind(CARDIOLOGY_HEAD_EMAIL)
    .execute(pool)
    .await?;

    if gp_existed {
        return Ok(());
    }
    let gp = user(pool, GP_EMAIL).await?;
    let now = Utc::now();
    for consult in &CONSULTS {
        seed_consult(pool, consult, gp, cardiology, now).await?;
    }
    Ok(())
}

async fn user(pool: &PgPool, email: &str) -> Result<i64, SeedError> {
    Ok(sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(pool)
        .await?)
}

/// One consult, step by step from its draft to its stage.
async fn seed_consult(
    pool: &PgPool,
    consult: &DemoConsult,
    gp: i64,
    cardiology: i64,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    let (to, responder) = match consult.to {
        Some(email) => {
            let id = user(pool, email).await?;
            (Recipient::Named(id), id)
        }
        None => (Recipient::Pool(cardiology), user(pool, CARDIOLOGIST).await?),
    };
    let sent = now - Duration::hours(consult.hours_ago);
    let at = |minutes: i64| sent + Duration::minutes(minutes);
    let new = NewConsult {
        to,
        text: (consult.text)(),
    };
    let id = db::create_draft(pool, gp, &new, at(-25)).await?;
    if consult.stage == Stage::Draft {
        return Ok(());
    }
    let due = db::due_hours(pool, id).await?;
    let mut tx = pool.begin().await?;
    let consent = ConsentRecord {
        method: ConsentMethod::Verbal,
        obtained_on: db::today_ist(sent),
    };
    db::record_consent(&mut tx, id, &consent, gp).await?;
    let submit = (State::Draft, State::Submitted, Action::Submit);
    step(&mut tx, id, submit, gp, sent, Some(due)).await?;
    if consult.stage == Stage::Waiting {
        tx.commit().await?;
        return Ok(());
    }
    let accept = (State::Submitted, State::Accepted, Action::Accept);
    step(&mut tx, id, accept, responder, at(95), None).await?;
    if consult.stage == Stage::InfoRequested {
        db::add_message(
            &mut tx,
            id,
            MessageKind::InfoRequest,
            responder,
            consult.request,
            at(110),
        )
        .await?;
        let request = (State::Accepted, State::InfoRequested, Action::RequestInfo);
        step(&mut tx, id, request, responder, at(110), None).await?;
        tx.commit().await?;
        return Ok(());
    }
    if let Some(answer) = consult.answer {
        db::save_answer(&mut tx, id, &answer(), responder, at(600)).await?;
        let answered = (State::Accepted, State::Answered, Action::Answer);
        step(&mut tx, id, answered, responder, at(600), None).await?;
    }
    if consult.stage == Stage::Closed {
        let closeout = Closeout {
            useful: 5,
            educational: 4,
            outcome: Outcome::ReferralAvoided,
            note: "Cleared in five weeks on itraconazole; the household was treated too.".into(),
        };
        db::save_closeout(&mut tx, id, &closeout, gp, at(60 * 24 * 6)).await?;
        let close = (State::Answered, State::Closed, Action::Close);
        step(&mut tx, id, close, gp, at(60 * 24 * 6), None).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn step(
    tx: &mut sqlx::PgConnection,
    id: i64,
    (from, to, action): (State, State, Action),
    actor: i64,
    at: DateTime<Utc>,
    due_hours: Option<i32>,
) -> Result<(), SeedError> {
    if db::step(tx, id, from, to, action, Some(actor), at, due_hours, None).await? {
        Ok(())
    } else {
        Err(SeedError::from(AppError::conflict(
            "A demo consult did not move as seeded.",
        )))
    }
}
