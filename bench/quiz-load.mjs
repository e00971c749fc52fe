// A quiz load generator: N learners, each signing in once, then taking the module of one case
// again and again (module page, start, question page + answer × every question, submit, result)
// with a random think time before every request. Node 20, its built-in fetch, no packages.
// Usually started by bench/quiz-load.sh, which sets up a server and the learners' accounts.
//
//   node bench/quiz-load.mjs --url http://127.0.0.1:3203 --case 1 --learners 2000 \
//     --email 'learner-{n}@bench.corridor.in' --password corridor-demo \
//     --think-min 3 --think-max 9 --duration 120 --arrivals-per-second 10
//
// Learner n signs in as --email with {n} replaced (1…N), from the address 10.x.y.z sent as
// X-Forwarded-For (the server must trust it, or the per-address sign-in limit kicks in).
// Prints the errors and p50/p95/p99 per request kind, then one summary line.

import { parseArgs } from "node:util";

const { values: opt } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:3000" },
    case: { type: "string" },
    learners: { type: "string", default: "2000" },
    email: { type: "string", default: "learner-{n}@bench.corridor.in" },
    password: { type: "string", default: "corridor-demo" },
    "think-min": { type: "string", default: "3" },
    "think-max": { type: "string", default: "9" },
    duration: { type: "string", default: "120" },
    "arrivals-per-second": { type: "string", default: "10" },
  },
});
if (!opt.case) throw new Error("--case CASE_ID is required");
const base = opt.url.replace(/\/$/, "");
const learners = Number(opt.learners);
const thinkMin = Number(opt["think-min"]) * 1000;
const thinkMax = Number(opt["think-max"]) * 1000;
// Learners arrive one after another (`arrivals-per-second`), each signing in once, as a class
// would over a few minutes; then all of them keep going for `duration` seconds. Arriving all
// at once would measure a queue of Argon2 hashes (tens of ms of CPU each), not the app.
const arrivalMs = 1000 / Number(opt["arrivals-per-second"]);
const rampMs = learners * arrivalMs;
const stopAt = Date.now() + rampMs + Number(opt.duration) * 1000;

const KINDS = ["sign-in", "module", "start", "question", "answer", "submit", "result"];
const samples = Object.fromEntries(KINDS.map((k) => [k, []]));
const errors = Object.fromEntries(KINDS.map((k) => [k, 0]));
const errorExamples = [];
let completed = 0;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const think = () => sleep(thinkMin + Math.random() * (thinkMax - thinkMin));

class Refused extends Error {}

/** One timed request. `ok(res)` says whether the answer is the expected one. */
async function timed(kind, learner, path, init, ok = (r) => r.ok) {
  const headers = {
    "x-forwarded-for": learner.ip,
    ...(learner.cookie ? { cookie: learner.cookie } : {}),
    ...init?.headers,
  };
  const t0 = performance.now();
  let res, body;
  try {
    res = await fetch(base + path, { redirect: "manual", ...init, headers });
    body = await res.text();
  } catch (e) {
    errors[kind]++;
    if (errorExamples.length < 10) errorExamples.push(`${kind} ${path}: ${e.cause?.code ?? e.message}`);
    throw new Refused();
  }
  const ms = performance.now() - t0;
  samples[kind].push(ms);
  if (!ok(res)) {
    errors[kind]++;
    if (errorExamples.length < 10) errorExamples.push(`${kind} ${path}: HTTP ${res.status} ${body.slice(0, 160)}`);
    throw new Refused();
  }
  return { res, body };
}

const form = (fields) => ({
  method: "POST",
  headers: {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
    origin: base,
  },
  body: new URLSearchParams(fields).toString(),
});

/** The answer to the question on a question page: the first choice(s), or a text. */
function answerFor(html, number) {
  const id = html.match(/name="question_id" value="(\d+)"/)?.[1];
  if (!id) throw new Error(`question page ${number} has no question_id`);
  const fields = [["question_id", id], ["number", String(number)]];
  const choices = [...html.matchAll(/<input type="(radio|checkbox)"[^>]*name="choice" value="(\d+)"/g)];
  if (choices.length > 0) {
    fields.push(["choice", choices[0][2]]);
    if (choices[0][1] === "checkbox" && choices.length > 1) fields.push(["choice", choices[1][2]]);
  } else if (/name="text"/.test(html)) {
    fields.push(["text", "Courvoisier's sign"]);
  } else if (/name="spot"/.test(html)) {
    fields.push(["spot.x", "10"], ["spot.y", "10"]);
  }
  const total = Number(html.match(/of (\d+)/)?.[1] ?? 0);
  return { fields, total };
}

async function learner(n) {
  const me = {
    ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    cookie: null,
  };
  await sleep((n - 1 + Math.random()) * arrivalMs);
  // Sign in until it works (a refused sign-in is counted, then retried after a pause).
  while (!me.cookie && Date.now() < stopAt) {
    try {
      const email = opt.email.replace("{n}", String(n));
      const { res } = await timed("sign-in", me, "/api/login", form({ email, password: opt.password }));
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith("corridor_session="));
      if (!cookie) throw new Refused();
      me.cookie = cookie.split(";")[0];
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
    }
    await think();
  }
  while (Date.now() < stopAt) {
    try {
      await timed("module", me, `/cases/${opt.case}/quiz`);
      await think();
      const { body } = await timed("start", me, `/quiz/${opt.case}/start`, form({}));
      const attempt = JSON.parse(body).attempt_id;
      let total = 1;
      for (let number = 1; number <= total; number++) {
        await think();
        const page = await timed("question", me, `/quiz/attempts/${attempt}/${number}`);
        const answer = answerFor(page.body, number);
        total = Math.max(total, answer.total || 4);
        await think();
        await timed("answer", me, `/quiz/attempts/${attempt}/answer`, form(answer.fields));
      }
      await think();
      await timed("submit", me, `/quiz/attempts/${attempt}/submit`, form({}));
      await think();
      await timed("result", me, `/quiz/attempts/${attempt}/result`);
      completed++;
      await think();
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      await think();
    }
  }
}

function pct(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const fmt = (ms) => (Number.isNaN(ms) ? "-" : ms < 10 ? ms.toFixed(1) : ms.toFixed(0));

console.error(`quiz-load: ${learners} learners on ${base}, case ${opt.case}, think ${thinkMin / 1000}-${thinkMax / 1000} s, arriving over ${rampMs / 1000} s, then ${opt.duration} s all together`);
const started = Date.now();
const progress = setInterval(() => {
  const n = KINDS.reduce((a, k) => a + samples[k].length, 0);
  const e = KINDS.reduce((a, k) => a + errors[k], 0);
  console.error(`  ${Math.round((Date.now() - started) / 1000)} s: ${n} requests, ${e} errors, ${completed} attempts submitted`);
}, 15000);
await Promise.all(Array.from({ length: learners }, (_, i) => learner(i + 1)));
clearInterval(progress);
const seconds = (Date.now() - started) / 1000;

console.error(`${"kind".padEnd(9)} ${"requests".padStart(8)} ${"errors".padStart(6)} ${"p50 ms".padStart(7)} ${"p95 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"max ms".padStart(7)}`);
const all = [];
const perKind = [];
for (const k of KINDS) {
  const s = samples[k].sort((a, b) => a - b);
  all.push(...s);
  console.error(`${k.padEnd(9)} ${String(s.length).padStart(8)} ${String(errors[k]).padStart(6)} ${fmt(pct(s, 50)).padStart(7)} ${fmt(pct(s, 95)).padStart(7)} ${fmt(pct(s, 99)).padStart(7)} ${fmt(s.at(-1) ?? NaN).padStart(7)}`);
  perKind.push(`${k} ${fmt(pct(s, 99))}`);
}
for (const e of errorExamples) console.error(`  error: ${e}`);
// The generator shares the machine with the server: say how much of it it used.
const cpu = process.cpuUsage();
console.error(`load generator CPU: ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s over ${seconds.toFixed(0)} s (${(((cpu.user + cpu.system) / 1e6 / seconds) * 100).toFixed(0)}% of one core)`);
all.sort((a, b) => a - b);
const errorCount = KINDS.reduce((a, k) => a + errors[k], 0);
console.log(
  `quiz-load: ${learners} learners, think ${thinkMin / 1000}-${thinkMax / 1000} s, ${Math.round(seconds)} s, ` +
    `${all.length} requests (${(all.length / seconds).toFixed(0)}/s), ${completed} attempts, ${errorCount} errors, ` +
    `p50 ${fmt(pct(all, 50))} ms, p95 ${fmt(pct(all, 95))} ms, p99 ${fmt(pct(all, 99))} ms; p99 by kind (ms): ${perKind.join(", ")}`,
);
