//! Demo data: a believable teaching hospital, so a newcomer sees Corridor working at once.
//! Seeding is idempotent: running it again creates no duplicates. Every case is fictional and
//! carries no patient identifiers. Over 400 lines because most of it is the demo's text
//! (cases, a lesson, a module), not logic.

use app::accounts::{NewUser, RegistrationInput, Role};
use app::cases::{CaseInput, NewCase};
use app::error::AppError;
use app::media::annotations::{Annotation, Shape};
use app::ssr::{auth, markdown};
use sqlx::PgPool;

pub mod consults;
pub mod ecg;

/// The password of every demo account. Demo data is for trying Corridor, never for production.
pub const DEMO_PASSWORD: &str = "corridor-demo";

pub struct DemoUser {
    pub email: &'static str,
    pub name: &'static str,
    pub designation: &'static str,
    pub specialty: &'static str,
    pub department: &'static str,
    pub role: Role,
}

/// A demo account whose request to join General Surgery waits for approval.
pub const PENDING_EMAIL: &str = "kavya.iyer@gmail.com";

pub const INSTITUTION: &str = "Sahyadri Medical College & Hospital";
pub const DEPARTMENTS: [&str; 5] = [
    "General Surgery",
    "Dermatology",
    "Cardiology",
    "General Medicine",
    "Emergency Medicine",
];

pub const USERS: [DemoUser; 7] = [
    DemoUser {
        email: "meera.kulkarni@demo.corridor.in",
        name: "Dr. Meera Kulkarni",
        designation: "Professor of Surgery",
        specialty: "general-surgery",
        department: "General Surgery",
        role: Role::Mentor,
    },
    DemoUser {
        email: "arjun.nair@demo.corridor.in",
        name: "Dr. Arjun Nair",
        designation: "Associate Professor, Dermatology",
        specialty: "dermatology",
        department: "Dermatology",
        role: Role::Mentor,
    },
    DemoUser {
        email: "farah.siddiqui@demo.corridor.in",
        name: "Dr. Farah Siddiqui",
        designation: "Consultant Cardiologist",
        specialty: "cardiology",
        department: "Cardiology",
        role: Role::Mentor,
    },
    DemoUser {
        email: "rohan.deshpande@demo.corridor.in",
        name: "Dr. Rohan Deshpande",
        designation: "Junior Resident (PG-1), General Surgery",
        specialty: "general-surgery",
        department: "General Surgery",
        role: Role::Resident,
    },
    DemoUser {
        email: "priya.menon@demo.corridor.in",
        name: "Dr. Priya Menon",
        designation: "Junior Resident (PG-2), General Medicine",
        specialty: "general-medicine",
        department: "General Medicine",
        role: Role::Resident,
    },
    DemoUser {
        email: "sunil.patil@demo.corridor.in",
        name: "Dr. Sunil Patil",
        designation: "Head of Department, General Surgery",
        specialty: "general-surgery",
        department: "General Surgery",
        role: Role::DepartmentAdmin,
    },
    DemoUser {
        email: "admin@demo.corridor.in",
        name: "Demo Site Admin",
        designation: "Medical Education Unit",
        specialty: "",
        department: "General Medicine",
        role: Role::SiteAdmin,
    },
];

struct DemoCase {
    tags: &'static str,
    author: &'static str,
    title: &'static str,
    specialty: &'static str,
    summary: &'static str,
    body: &'static str,
}

/// A micro-lesson, linked to the demo's ECG case.
const LESSON: DemoCase = DemoCase {
    tags: "ecg, hyperkalaemia, potassium",
    author: "farah.siddiqui@demo.corridor.in",
    title: "Hyperkalaemia on the ECG, in the order it appears",
    specialty: "cardiology",
    summary: "Peaked T waves, then flat P waves, then wide QRS and a sine wave: what to look for and what to do before the potassium result is back.",
    body: "Potassium above about 6.5 mmol/L changes the ECG in a predictable order, but the order is a tendency, not a rule: a normal ECG does not exclude dangerous hyperkalaemia.\n\n## In the order it appears\n\n1. **Tall, narrow, peaked T waves**, best seen in V2–V4.\n2. **Flattening and loss of P waves**, PR prolongation.\n3. **Widening of the QRS**, which merges with the T wave.\n4. **Sine-wave pattern**, then ventricular fibrillation or asystole.\n\n> [!RED FLAG]\n> Any QRS widening or bradycardia with a high potassium is an emergency: give calcium now, do not wait for a repeat sample.\n\n## What to do\n\n- **Calcium gluconate 10%, 30 mL IV over 5–10 minutes** stabilises the membrane within minutes; repeat if the ECG does not improve.\n- **Insulin with dextrose** and **salbutamol nebulisation** move potassium into cells.\n- Remove the cause: stop ACE inhibitors, potassium-sparing diuretics, potassium supplements; look for AKI, rhabdomyolysis, haemolysis.\n- Arrange dialysis early when kidney function will not recover in time.\n\n> [!PITFALL]\n> A haemolysed sample gives a falsely high potassium. If the patient and the ECG do not fit the number, repeat the sample, but treat first if the ECG shows changes.\n\n> [!PEARL]\n> Peaked T waves are narrow-based and symmetrical; the broad-based T waves of early STEMI are asymmetrical and come with ST changes.\n",
};

const CASES: [DemoCase; 6] = [
    DemoCase {
        tags: "jaundice, pancreas, courvoisier",
        author: "meera.kulkarni@demo.corridor.in",
        title: "Painless jaundice with a palpable gallbladder",
        specialty: "general-surgery",
        summary: "A man in his sixties with weight loss and painless jaundice: why Courvoisier's sign still earns its place at the bedside.",
        body: "## Presentation\n\nA man in his sixties presented with three weeks of progressive yellowing of the eyes, pale stools, dark urine and generalised itching. He had lost about 6 kg over two months. No abdominal pain, no fever.\n\n## Examination\n\n- Deeply icteric, scratch marks on forearms\n- A smooth, non-tender, pear-shaped mass in the right hypochondrium that moved with respiration\n- No ascites, no supraclavicular nodes\n\n## Investigations\n\n| Test | Result |\n|---|---|\n| Total bilirubin | 14.2 mg/dL (mostly conjugated) |\n| ALP | 890 IU/L |\n| CA 19-9 | 410 U/mL |\n\nUltrasound showed a distended gallbladder, dilated CBD and intrahepatic ducts. CECT: a 2.8 cm hypodense mass in the head of pancreas, no vascular encasement.\n\n## Management\n\nStaged with CECT, discussed in the tumour board; biliary drainage was **not** done pre-operatively as surgery was possible within two weeks. He underwent a pylorus-preserving pancreaticoduodenectomy.\n\n## Teaching points\n\n1. A palpable, non-tender gallbladder in a jaundiced patient is unlikely to be due to stones (Courvoisier's law): think periampullary malignancy.\n2. Routine pre-operative biliary drainage increases complications; reserve it for cholangitis, severe pruritus or delayed surgery.\n3. Weight loss plus new-onset jaundice after 50 deserves a pancreatic protocol CT, not just an ultrasound.\n",
    },
    DemoCase {
        tags: "ectopic, acute-abdomen, shock",
        author: "meera.kulkarni@demo.corridor.in",
        title: "Right iliac fossa pain in a young woman: not always the appendix",
        specialty: "general-surgery",
        summary: "Guarding in the RIF, a normal appendix on ultrasound and a positive urine test. A reminder to think pelvis first.",
        body: "## Presentation\n\nA woman in her twenties came to casualty at night with 12 hours of right lower abdominal pain, one episode of vomiting and a brief faint at home.\n\n## Examination\n\n- Pulse 112/min, BP 96/60 mmHg\n- Tenderness and guarding in the right iliac fossa; cervical motion tenderness on per-vaginal examination\n\n## Investigations\n\nUrine pregnancy test **positive**. Bedside ultrasound: free fluid in the pouch of Douglas, empty uterine cavity.\n\n## Management\n\nResuscitated, obstetrics called, taken for laparoscopy: ruptured right tubal ectopic pregnancy; salpingectomy done.\n\n## Teaching points\n\n> [!RED FLAG]\n> Tachycardia, soft BP and a faint in a young woman with abdominal pain: ruptured ectopic until proven otherwise.\n\n- Every woman of reproductive age with abdominal pain gets a pregnancy test **before** imaging or surgery.\n- Tachycardia with a soft BP and syncope means blood loss until proven otherwise.\n- Shock index (HR/SBP) above 1 is a useful corridor alarm.\n",
    },
    DemoCase {
        tags: "sjs, drug-reaction, carbamazepine",
        author: "arjun.nair@demo.corridor.in",
        title: "Target lesions after a new antiepileptic",
        specialty: "dermatology",
        summary: "Fever and dusky target lesions two weeks after starting carbamazepine: recognising SJS early and stopping the culprit.",
        body: "## Presentation\n\nA young man started on carbamazepine for focal seizures developed fever, sore throat and burning eyes on day 16, followed by dusky red macules on the trunk that spread within hours.\n\n## Examination\n\n- Atypical flat target lesions with central dusky blisters on the trunk and palms\n- Haemorrhagic crusting of the lips; conjunctival congestion\n- Nikolsky sign positive; detached skin about 8% of body surface area\n\n## Management\n\n- Carbamazepine stopped at once; seizures covered with levetiracetam\n- Admitted to a side room; ophthalmology reviewed on day one\n- SCORTEN calculated at admission and on day 3\n- Supportive care: fluids, non-adherent dressings, eye lubricants, mouth care\n\n## Teaching points\n\n> [!PEARL]\n> The single most effective treatment is stopping the drug early.\n\n- Aromatic anticonvulsants, allopurinol, sulfonamides and nevirapine are common culprits in our patients.\n- HLA-B*15:02 screening before carbamazepine is worth considering in patients of South and South-East Asian ancestry.\n- Mucosal involvement at two or more sites with fever should prompt admission, not an outpatient review.\n",
    },
    DemoCase {
        tags: "tinea, steroid-misuse, koh",
        author: "arjun.nair@demo.corridor.in",
        title: "Annular scaly plaques that got worse with a steroid cream",
        specialty: "dermatology",
        summary: "Tinea incognito: what over-the-counter steroid-antifungal combinations have done to dermatophytosis in India.",
        body: "## Presentation\n\nA shopkeeper in his thirties had itchy ring-shaped patches on the groin and waist for five months, treated with a triple-combination cream bought from a chemist. Each time he stopped, it came back larger.\n\n## Examination\n\nMultiple large annular plaques with a raised scaly border, pseudo-imbricate rings, and steroid-induced atrophy and striae in the groin.\n\n## Investigations\n\nKOH mount of border scrapings: abundant septate hyphae.\n\n## Management\n\n- Stopped all topical steroids\n- Oral itraconazole for 6 weeks with a topical azole, with counselling on adherence, loose cotton clothing and treating family contacts\n\n## Teaching points\n\n- Steroid-containing combination creams are a major driver of chronic, extensive dermatophytosis.\n- Always do a KOH mount before treating an annular scaly rash.\n- Ask about household contacts: untreated family members cause relapse.\n",
    },
    DemoCase {
        tags: "stemi, atypical-presentation, ecg",
        author: "farah.siddiqui@demo.corridor.in",
        title: "Epigastric pain and a normal first ECG",
        specialty: "cardiology",
        summary: "A diabetic woman sent home with antacids came back with an inferior STEMI. Serial ECGs and troponin in atypical presentations.",
        body: "## Presentation\n\nA woman in her late fifties with long-standing diabetes came at 6 am with epigastric discomfort, nausea and sweating that began after morning tea. The first ECG was read as normal and she was given an antacid.\n\n## What happened next\n\nForty minutes later she became pale and bradycardic. A repeat ECG showed ST elevation in II, III and aVF with ST depression in I and aVL.\n\n## Management\n\n- Aspirin 325 mg chewed, ticagrelor loading dose, heparin\n- Right-sided leads: ST elevation in V4R, so nitrates were avoided\n- Primary PCI to a proximal RCA occlusion, door-to-balloon 68 minutes\n\n## Teaching points\n\n> [!PITFALL]\n> A normal first ECG in a sweaty diabetic with epigastric pain is not reassurance.\n\n1. Women, diabetics and the elderly often present without classic chest pain.\n2. One normal ECG does not exclude ACS: repeat every 15–30 minutes while symptoms continue.\n3. In inferior STEMI, record right-sided leads before giving nitrates.\n",
    },
    DemoCase {
        tags: "mitral-stenosis, pregnancy, rhd",
        author: "farah.siddiqui@demo.corridor.in",
        title: "Breathlessness in the third trimester",
        specialty: "cardiology",
        summary: "Rheumatic mitral stenosis unmasked by pregnancy: the diastolic murmur nobody listened for.",
        body: "## Presentation\n\nA woman in her second pregnancy, at 30 weeks, was referred with worsening breathlessness, orthopnoea and palpitations. She had been treated twice for 'chest infection' in this pregnancy.\n\n## Examination\n\n- Irregularly irregular pulse, 118/min\n- Loud S1, opening snap and a low-pitched mid-diastolic rumble at the apex (heard best in the left lateral position with the bell)\n- Bibasal crepitations\n\n## Investigations\n\nEcho: severe rheumatic mitral stenosis, valve area 0.9 cm², PASP 58 mmHg; new atrial fibrillation.\n\n## Management\n\nRate control with a beta-blocker, diuretics, anticoagulation with low-molecular-weight heparin; balloon mitral valvotomy under lead shielding at 32 weeks, then a planned vaginal delivery with the cardiology team present.\n\n## Teaching points\n\n- Pregnancy raises heart rate and blood volume: stenotic valves decompensate in the second and third trimesters.\n- Listen at the apex, in the left lateral position, with the bell: the MS murmur is easy to miss.\n- Rheumatic heart disease remains common in young Indian women; think of it before calling breathlessness 'physiological'.\n",
    },
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("{0}")]
    App(#[from] AppError),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("image store: {0}")]
    Media(String),
}

/// Seeds the demo institution, accounts and cases (two with annotated ECGs, kept in `media`),
/// and prints the demo logins.
pub async fn seed(pool: &PgPool, media: &app::media::store::Media) -> Result<(), SeedError> {
    let mut tx = pool.begin().await?;
    let institution_id: i64 = sqlx::query_scalar(
        "insert into institutions (name, city) values ($1, 'Pune')
         on conflict (name) do update set name = excluded.name returning id",
    )
    .bind(INSTITUTION)
    .fetch_one(&mut *tx)
    .await?;
    for department in DEPARTMENTS {
        sqlx::query(
            "insert into departments (institution_id, name) values ($1, $2)
             on conflict (institution_id, name) do nothing",
        )
        .bind(institution_id)
        .bind(department)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;

    // One hash for all demo accounts, computed only when one is missing.
    let mut hash: Option<String> = None;
    for user in &USERS {
        staff(pool, &mut hash, user, INSTITUTION).await?;
    }
    // A request waiting for Dr. Sunil Patil (General Surgery's admin): an address outside the
    // college's domain, confirmed, not yet approved — the membership flow to try in the demo.
    let pending_exists: bool =
        sqlx::query_scalar("select exists(select 1 from users where email = $1)")
            .bind(PENDING_EMAIL)
            .fetch_one(pool)
            .await?;
    if !pending_exists {
        let hash = match hash.take() {
            Some(hash) => hash,
            None => auth::hash_password(DEMO_PASSWORD.to_owned()).await?,
        };
        sqlx::query(
            "insert into users (email, password_hash, full_name, designation, specialty,
                                requested_department_id, medical_council, registration_number,
                                email_verified_at)
             select $1, $2, 'Dr. Kavya Iyer', 'Junior Resident', 'general-surgery', d.id, 'mmc',
                    'MMC-2024-07731', now()
             from departments d where d.institution_id = $3 and d.name = 'General Surgery'",
        )
        .bind(PENDING_EMAIL)
        .bind(&hash)
        .bind(institution_id)
        .execute(pool)
        .await?;
    }
    // The institution's own addresses join its departments once they confirm them.
    sqlx::query(
        "insert into institution_domains (domain, institution_id) values ('demo.corridor.in', $1)
         on conflict (domain) do nothing",
    )
    .bind(institution_id)
    .execute(pool)
    .await?;

    for case in &CASES {
        let author_id: i64 = sqlx::query_scalar("select id from users where email = $1")
            .bind(case.author)
            .fetch_one(pool)
            .await?;
        let exists: bool = sqlx::query_scalar(
            "select exists(select 1 from cases where author_id = $1 and title = $2)",
        )
        .bind(author_id)
        .bind(case.title)
        .fetch_one(pool)
        .await?;
        if exists {
            continue;
        }
        let new_case = NewCase::parse(CaseInput {
            title: case.title,
            specialty: case.specialty,
            summary: case.summary,
            body: case.body,
            sections: Default::default(),
            tags: case.tags,
            visibility: "all",
            specialty_known: true,
            has_department: true,
            kind: app::cases::Kind::Case,
            related: "",
        })?;
        app::cases::db::insert(
            pool,
            author_id,
            &new_case,
            &markdown::render(case.body),
            true,
        )
        .await?;
    }

    seed_lesson(pool).await?;
    seed_ecgs(pool, media).await?;
    seed_module(pool, JAUNDICE_MODULE).await?;
    seed_module(pool, STEMI_MODULE).await?;
    consults::seed(pool).await?;
    // Everyone in the demo counts CME under the Maharashtra council, this calendar year on.
    sqlx::query(
        "update users set cme_profile_id = (select id from cme_profiles where name = 'Maharashtra Medical Council'),
                          cme_cycle_start = date_trunc('year', current_date)::date
         where email like '%demo.corridor.in' and cme_profile_id is null",
    )
    .execute(pool)
    .await?;

    println!("\nDemo data is loaded ({INSTITUTION}). Sign in with any of these; the password is \"{DEMO_PASSWORD}\":");
    for user in &USERS {
        println!(
            "  {:<18} {:<36} {}",
            user.role.label(),
            user.email,
            user.name
        );
    }
    for (user, _) in &consults::PEOPLE {
        println!(
            "  {:<18} {:<36} {} ({})",
            user.role.label(),
            user.email,
            user.name,
            user.designation
        );
    }
    println!(
        "  {:<18} {:<36} Dr. Kavya Iyer (asked to join General Surgery: approve her as Dr. Sunil Patil on Members)",
        "Waiting to join", PENDING_EMAIL
    );
    println!("Addresses @demo.corridor.in join their department after confirming the mailed link; others wait for approval.");
    println!("Demo accounts have a published password: switch demo data off (CORRIDOR_DEMO_DATA=false) anywhere real.\n");
    Ok(())
}

/// Creates a demo account (unless its address exists) as a verified member of its department at
/// `institution`, with its role. `hash` is the demo password's hash, computed once when needed.
async fn staff(
    pool: &PgPool,
    hash: &mut Option<String>,
    user: &DemoUser,
    institution: &str,
) -> Result<(), SeedError> {
    let exists: bool = sqlx::query_scalar("select exists(select 1 from users where email = $1)")
        .bind(user.email)
        .fetch_one(pool)
        .await?;
    if exists {
        return Ok(());
    }
    if hash.is_none() {
        *hash = Some(auth::hash_password(DEMO_PASSWORD.to_owned()).await?);
    }
    let department_id: i64 = sqlx::query_scalar(
        "select d.id from departments d join institutions i on i.id = d.institution_id
         where i.name = $1 and d.name = $2",
    )
    .bind(institution)
    .bind(user.department)
    .fetch_one(pool)
    .await?;
    let new_user = NewUser::parse(RegistrationInput {
        email: user.email,
        password: DEMO_PASSWORD,
        full_name: user.name,
        designation: user.designation,
        specialty: user.specialty,
        department_id: &department_id.to_string(),
        medical_council: "mmc",
        registration_number: "",
    })?;
    let mut conn = pool.acquire().await?;
    let id = app::accounts::db::insert(&mut conn, &new_user, hash.as_deref().unwrap_or_default())
        .await?;
    // Demo staff are verified members of their departments from the start.
    sqlx::query(
        "update users set department_id = requested_department_id,
                          requested_department_id = null, email_verified_at = now()
         where id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    app::accounts::db::set_role(pool, id, user.role).await?;
    Ok(())
}

/// The demo's micro-lesson, linked to its ECG case (idempotent, like the cases).
async fn seed_lesson(pool: &PgPool) -> Result<(), SeedError> {
    let author_id: i64 = sqlx::query_scalar("select id from users where email = $1")
        .bind(LESSON.author)
        .fetch_one(pool)
        .await?;
    let exists: bool = sqlx::query_scalar(
        "select exists(select 1 from cases where author_id = $1 and title = $2)",
    )
    .bind(author_id)
    .bind(LESSON.title)
    .fetch_one(pool)
    .await?;
    if exists {
        return Ok(());
    }
    let related: Option<i64> = sqlx::query_scalar("select id from cases where title = $1")
        .bind("Epigastric pain and a normal first ECG")
        .fetch_optional(pool)
        .await?;
    let related = related.map(|id| id.to_string()).unwrap_or_default();
    let lesson = NewCase::parse(CaseInput {
        title: LESSON.title,
        specialty: LESSON.specialty,
        summary: LESSON.summary,
        body: LESSON.body,
        sections: Default::default(),
        tags: LESSON.tags,
        visibility: "all",
        specialty_known: true,
        has_department: true,
        kind: app::cases::Kind::Lesson,
        related: &related,
    })?;
    app::cases::db::insert(
        pool,
        author_id,
        &lesson,
        &markdown::render(LESSON.body),
        true,
    )
    .await?;
    Ok(())
}

/// A case module on the first demo case: one question of each text type, 1 point of credit.
/// The module on the jaundice case (GIFT).
const JAUNDICE_GIFT: &str = "::Courvoisier:: A jaundiced man has a palpable, non-tender gallbladder. The likeliest cause is {
=Carcinoma of the head of the pancreas#Courvoisier's law: a distended gallbladder in painless jaundice points away from stones.
~Stones in the common bile duct#Chronic cholecystitis from stones leaves a shrunken, fibrosed gallbladder.
~Acute viral hepatitis#Hepatitis does not distend the gallbladder.
####Painless jaundice, weight loss and a palpable gallbladder: image the pancreas.
}

::Work-up:: Which investigations belong in the first work-up? (Tick all that apply.) {
~%50%Contrast-enhanced CT of the pancreas
~%50%Serum CA 19-9
~%-100%Routine pre-operative biliary stenting#Routine drainage before surgery increases complications.
}

::Drainage:: Pre-operative biliary drainage should be routine before pancreaticoduodenectomy. {FALSE#It is reserved for cholangitis, severe itching or delayed surgery.#Right: drainage is not routine.}

::Sign:: Name the sign: a palpable, non-tender gallbladder in a jaundiced patient. {=Courvoisier's sign =Courvoisier sign =Courvoisier's law}
";

/// The module on the STEMI case: GIFT, then a hotspot on the case's ECG.
const STEMI_GIFT: &str = "::First ECG:: A diabetic woman in her fifties, sweaty, with epigastric pain, has a normal first ECG. What do you do next? {
=Repeat the ECG every 15–30 minutes while symptoms last, and send a troponin#Right: one normal ECG does not exclude an acute coronary syndrome.
~Reassure her and send her home with an antacid#This is what happened, and she came back with an inferior STEMI.
~Wait for the troponin before repeating the ECG#The ECG can change within minutes: repeat it while you wait.
}

::Right leads:: In an inferior STEMI, record right-sided leads before giving nitrates. {TRUE#Right: ST elevation in V4R means a right ventricular infarct, and nitrates can drop the pressure.#Record them first: a right ventricular infarct makes nitrates dangerous.}
";

/// A demo module: the case it belongs to, its GIFT, and an optional hotspot question on the
/// case's first image (the question, its explanation and the leads whose panels are right).
struct DemoModule {
    case_title: &'static str,
    gift: &'static str,
    hotspot: Option<(&'static str, &'static str, &'static [&'static str])>,
}

const JAUNDICE_MODULE: DemoModule = DemoModule {
    case_title: "Painless jaundice with a palpable gallbladder",
    gift: JAUNDICE_GIFT,
    hotspot: None,
};

const STEMI_MODULE: DemoModule = DemoModule {
    case_title: "Epigastric pain and a normal first ECG",
    gift: STEMI_GIFT,
    hotspot: Some((
        "Her repeat ECG is above. Click a lead that shows ST elevation.",
        "II, III and aVF show ST elevation (the inferior wall; III more than II points to the right coronary artery). I and aVL show the reciprocal ST depression.",
        &["II", "III", "aVF"],
    )),
};

async fn seed_module(pool: &PgPool, module: DemoModule) -> Result<(), SeedError> {
    let case: Option<(i64, i64)> =
        sqlx::query_as("select id, author_id from cases where title = $1")
            .bind(module.case_title)
            .fetch_optional(pool)
            .await?;
    let Some((case_id, author_id)) = case else {
        return Ok(());
    };
    if app::quiz::db::for_case(pool, case_id).await?.is_some() {
        return Ok(());
    }
    let settings = app::quiz::QuizSettings {
        credit_amount: 1.0,
        ..Default::default()
    };
    let (items, _) = app::quiz::gift::parse(module.gift);
    // Into the author's bank with the tags the GIFT gives.
    let mut questions: Vec<_> = items
        .iter()
        .filter_map(|i| Some((i.to_question()?, i.tags.clone())))
        .collect();
    if let Some((text, explanation, leads)) = module.hotspot {
        let image_id = app::media::for_case(pool, case_id)
            .await?
            .first()
            .map(|i| i.id);
        if let Some(image_id) = image_id {
            let hotspot = app::quiz::Question {
                kind: app::quiz::QuestionKind::Hotspot,
                name: "ST elevation".into(),
                text: text.into(),
                explanation: explanation.into(),
                objective: "Recognise an inferior STEMI on a 12-lead ECG".into(),
                answers: Vec::new(),
                image_id: Some(image_id),
                regions: leads
                    .iter()
                    .filter_map(|l| ecg::LEADS.iter().position(|x| x == l))
                    .map(|i| {
                        let (x, y, w, h) = ecg::panel_fraction(i);
                        Shape::Rect { x, y, w, h }
                    })
                    .collect(),
            };
            questions.push((hotspot, vec!["ECG".to_owned(), "STEMI".to_owned()]));
        }
    }
    let quiz_id = app::quiz::db::save_settings(pool, case_id, &settings).await?;
    app::quiz::db::append_tagged(pool, quiz_id, author_id, &questions).await?;
    Ok(())
}

/// An ECG drawn for a demo case, with what it shows.
struct DemoEcg {
    case_title: &'static str,
    ecg: fn() -> ecg::Ecg,
    alt: &'static str,
    caption: &'static str,
    notes: fn(&ecg::Ecg) -> Vec<Annotation>,
}

const ECGS: [DemoEcg; 2] = [
    DemoEcg {
        case_title: "Epigastric pain and a normal first ECG",
        ecg: ecg::Ecg::inferior_stemi,
        alt: "Twelve-lead ECG: sinus bradycardia about 54 per minute, ST elevation in II, III and aVF, ST depression in I and aVL.",
        caption: "The repeat ECG, forty minutes after the first. Drawn for Corridor's demo: no patient.",
        notes: stemi_notes,
    },
    DemoEcg {
        case_title: "Hyperkalaemia on the ECG, in the order it appears",
        ecg: ecg::Ecg::hyperkalaemia,
        alt: "Twelve-lead ECG: tall narrow peaked T waves, tallest in V2 to V4, flat P waves and a slightly wide QRS.",
        caption: "Potassium 7.1 mmol/L. Drawn for Corridor's demo: no patient.",
        notes: hyperkalaemia_notes,
    },
];

fn lead(name: &str) -> usize {
    ecg::LEADS.iter().position(|l| *l == name).unwrap_or(0)
}

fn note(shape: Shape, note: &str) -> Annotation {
    Annotation {
        shape,
        text: String::new(),
        note: note.into(),
    }
}

fn stemi_notes(e: &ecg::Ecg) -> Vec<Annotation> {
    let (x, y) = ecg::point(e, lead("III"), 0.09);
    let (ax, ay) = ecg::point(e, lead("aVL"), 0.09);
    let (px, py, pw, ph) = ecg::panel_fraction(lead("aVF"));
    vec![
        note(
            Shape::Ellipse { cx: x, cy: y, rx: 0.035, ry: 0.06 },
            "ST elevation in III, more than in II: an inferior STEMI, most often the right coronary artery.",
        ),
        note(
            Shape::Arrow { x1: ax + 0.06, y1: ay + 0.08, x2: ax + 0.005, y2: ay + 0.01 },
            "Reciprocal ST depression in aVL: it makes the inferior elevation more certain.",
        ),
        note(
            Shape::Rect { x: px, y: py, w: pw, h: ph },
            "aVF completes the inferior leads (II, III, aVF). Record V4R before any nitrate.",
        ),
    ]
}

fn hyperkalaemia_notes(e: &ecg::Ecg) -> Vec<Annotation> {
    let (tx, ty) = ecg::point(e, lead("V3"), 0.27);
    let (px, py) = ecg::point(e, lead("II"), -0.17);
    let (qx, qy) = ecg::point(e, lead("V1"), 0.0);
    vec![
        note(
            Shape::Arrow {
                x1: tx + 0.07,
                y1: ty - 0.02,
                x2: tx + 0.008,
                y2: ty + 0.005,
            },
            "Tall, narrow, peaked T wave (V3): symmetrical, with a narrow base.",
        ),
        note(
            Shape::Ellipse {
                cx: px,
                cy: py,
                rx: 0.025,
                ry: 0.04,
            },
            "The P wave is almost flat.",
        ),
        note(
            Shape::Ellipse {
                cx: qx,
                cy: qy + 0.03,
                rx: 0.02,
                ry: 0.08,
            },
            "The QRS is starting to widen: give calcium now.",
        ),
    ]
}

/// Draws each demo ECG, runs it through the upload pipeline (re-encoded display size and
/// thumbnail, as any upload), stores it with its annotations, and records that the picture
/// needs no patient's consent because there is no patient.
async fn seed_ecgs(pool: &PgPool, media: &app::media::store::Media) -> Result<(), SeedError> {
    for demo in &ECGS {
        let case: Option<(i64, i64)> =
            sqlx::query_as("select id, author_id from cases where title = $1")
                .bind(demo.case_title)
                .fetch_optional(pool)
                .await?;
        let Some((case_id, author_id)) = case else {
            continue;
        };
        if app::media::count_for_case(pool, case_id).await? > 0 {
            continue;
        }
        let ecg = (demo.ecg)();
        let picture = ecg::draw(&ecg);
        let max_bytes = media.max_bytes;
        let processed = tokio::task::spawn_blocking(move || {
            let mut png = Vec::new();
            image::DynamicImage::ImageRgb8(picture)
                .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                .map_err(|e| e.to_string())?;
            app::media::store::process(&png, max_bytes).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| SeedError::Media(e.to_string()))?
        .map_err(SeedError::Media)?;
        let token = format!("demo-ecg-{case_id}");
        let (display_key, thumb_key) =
            app::media::store::keys(&format!("cases/{case_id}"), &token, processed.extension);
        for (key, bytes) in [
            (&display_key, &processed.display),
            (&thumb_key, &processed.thumb),
        ] {
            media
                .put(key, bytes.clone())
                .await
                .map_err(|e| SeedError::Media(e.to_string()))?;
        }
        let image_id = app::media::db::insert(
            pool,
            &app::media::db::NewImage {
                case_id,
                alt_text: demo.alt,
                caption: demo.caption,
                content_type: processed.content_type,
                width: processed.width as i32,
                height: processed.height as i32,
                display_key: &display_key,
                thumb_key: &thumb_key,
                display_bytes: processed.display.len() as i64,
                uploaded_by: author_id,
            },
        )
        .await?;
        let notes = (demo.notes)(&ecg);
        app::media::annotations::validate(&notes)
            .map_err(|problems| SeedError::Media(problems.join(" ")))?;
        app::media::db::save_annotations(pool, image_id, &notes).await?;
        app::media::db::record_consent(
            pool,
            case_id,
            "Drawn for the demo: no patient",
            chrono::Utc::now().date_naive(),
            author_id,
        )
        .await?;
    }
    Ok(())
}
