// The browser bundle as a reader meets it: first-load JS + WASM bytes as transferred, and the
// time until the page is interactive on Chromium's "Slow 3G" (400 ms latency, 400 kbit/s down
// and up), for the home page and a case page (no island: no code at all) and a quiz question
// page (an island: the main chunk), signed in as the demo resident.
// Debian's Chromium driven by the playwright-core in end2end/node_modules (never a downloaded
// browser). Usually started by bench/bundle.sh, which starts the server.
//
//   node bench/bundle.mjs --url http://127.0.0.1:3207 --case 1 [--question /quiz/attempts/7/1] [--runs 1]
//
// "Interactive" is the moment hydration finished: the app's Layout marks <html class="hydrated">
// in an effect, which runs once hydrate() has walked the whole page (the end-to-end tests wait
// for the same mark). Prints one line per page and run, then one summary line.

import { createRequire } from "node:module";
import { readFileSync, existsSync } from "node:fs";
import { parseArgs } from "node:util";

const require = createRequire(new URL("../end2end/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const { values: opt } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:3000" },
    case: { type: "string" },
    question: { type: "string" },
    runs: { type: "string", default: "1" },
    email: { type: "string", default: "rohan.deshpande@demo.corridor.in" },
    password: { type: "string", default: "corridor-demo" },
    site: { type: "string", default: new URL("../target/site", import.meta.url).pathname },
  },
});
if (!opt.case) throw new Error("--case CASE_ID is required");
const base = opt.url.replace(/\/$/, "");
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };
const pages = [
  ["home", "/"],
  ["case", `/cases/${opt.case}`],
  ...(opt.question ? [["question", opt.question]] : []),
];

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
});

/** A fresh, signed-in browser context (empty cache), and a CDP session on a new page in it. */
async function signedIn() {
  const context = await browser.newContext({ viewport: { width: 360, height: 760 } });
  const res = await context.request.post(`${base}/api/login`, {
    form: { email: opt.email, password: opt.password },
    headers: { origin: base, accept: "application/json" },
  });
  if (!res.ok()) throw new Error(`sign-in failed: HTTP ${res.status()}`);
  const page = await context.newPage();
  // Records when hydration finished, on the page's own clock (from navigation start).
  await page.addInitScript(() => {
    const mark = () => {
      if (!window.__hydratedAt && document.documentElement.classList.contains("hydrated")) {
        window.__hydratedAt = performance.now();
      }
    };
    new MutationObserver(mark).observe(document, { attributes: true, subtree: true, attributeFilter: ["class"] });
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  return { context, page, cdp };
}

/** Loads `path` and returns what was transferred, by kind, and the page's timings. */
async function load(path, throttle) {
  const { context, page, cdp } = await signedIn();
  const requests = new Map();
  cdp.on("Network.responseReceived", (e) => {
    requests.set(e.requestId, {
      url: e.response.url,
      encoding: e.response.headers["content-encoding"] ?? e.response.headers["Content-Encoding"] ?? "identity",
      bytes: 0,
    });
  });
  cdp.on("Network.loadingFinished", (e) => {
    const r = requests.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  });
  if (throttle) await cdp.send("Network.emulateNetworkConditions", throttle);
  await page.goto(base + path, { waitUntil: "commit", timeout: 300_000 });
  await page.waitForFunction(() => window.__hydratedAt !== undefined, null, { timeout: 300_000, polling: 50 });
  await page.waitForLoadState("load");
  const timings = await page.evaluate(() => ({
    hydrated: window.__hydratedAt,
    fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
    title: document.title,
    heading: document.querySelector("h1")?.textContent ?? "",
  }));
  await context.close();
  const code = [...requests.values()].filter((r) => /\.(js|wasm)(\?|$)/.test(new URL(r.url).pathname));
  const sum = (rs) => rs.reduce((a, r) => a + r.bytes, 0);
  return {
    timings,
    code,
    codeBytes: sum(code),
    allBytes: sum([...requests.values()]),
    encodings: [...new Set(code.map((r) => r.encoding))].join("+"),
  };
}

/** The size of a site file's precompressed .br sibling, when there is one. */
function brotliSize(url) {
  const file = `${opt.site}${new URL(url).pathname}.br`;
  return existsSync(file) ? readFileSync(file).length : null;
}

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const s = (ms) => (ms == null ? "n/a" : `${(ms / 1000).toFixed(1)} s`);
const results = {};
for (const [name, path] of pages) {
  // Unthrottled first: the bytes, and a check that the page hydrates at all.
  const fast = await load(path, null);
  const brotli = fast.code.map((r) => brotliSize(r.url));
  const brTotal = brotli.every((b) => b !== null) ? brotli.reduce((a, b) => a + b, 0) : null;
  console.error(
    `${name} (${path}, "${fast.timings.title}", h1 "${fast.timings.heading}"): ${fast.code.length} JS/WASM files, ${fast.codeBytes} bytes transferred (${fast.encodings}), ` +
      `${brTotal ?? "?"} bytes as .br on disk; all resources ${fast.allBytes} bytes; hydrated after ${s(fast.timings.hydrated)} unthrottled`,
  );
  for (const r of fast.code) console.error(`    ${r.url}: ${r.bytes} bytes (${r.encoding})`);
  const slow = [];
  for (let i = 0; i < Number(opt.runs); i++) {
    const run = await load(path, SLOW_3G);
    slow.push(run.timings);
    console.error(`  Slow 3G run ${i + 1}: first contentful paint ${s(run.timings.fcp)}, interactive ${s(run.timings.hydrated)}`);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  results[name] = {
    transferred: fast.codeBytes,
    encodings: fast.encodings,
    brotli: brTotal,
    fcp: median(slow.map((t) => t.fcp)),
    tti: median(slow.map((t) => t.hydrated)),
  };
}
await browser.close();

console.log(
  "bundle: " +
    Object.entries(results)
      .map(
        ([name, r]) =>
          `${name} ${kb(r.transferred)} JS+WASM transferred (${r.encodings}${r.brotli !== null ? `; ${kb(r.brotli)} brotli` : ""}), ` +
          `Slow 3G paint ${s(r.fcp)} interactive ${s(r.tti)}`,
      )
      .join("; "),
);
