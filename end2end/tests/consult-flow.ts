// The consult the issue describes, run with JavaScript on (consults.spec.ts) and off
// (consults.no-js.spec.ts): a GP at the demo's rural hospital sends a consult with an ECG image
// to a named cardiologist at the college; the cardiologist asks for information, the GP adds
// it, the cardiologist answers, the GP closes it with a rating, and both agree to make it a
// teaching case whose draft shows both authors.
import { expect, type Browser, type Page } from "@playwright/test";
import { deflateSync } from "node:zlib";
import { DEMO_PASSWORD, signIn, unique } from "./helpers";

export const GP_EMAIL = "gauri.patil@wai.demo.corridor.in";
export const GP_NAME = "Dr. Gauri Patil";
export const CARDIOLOGIST_EMAIL = "farah.siddiqui@demo.corridor.in";
export const CARDIOLOGIST_NAME = "Dr. Farah Siddiqui";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

/** A rhythm strip as a PNG, made here (no patient, no files): pink grid, black trace. */
export function ecgStrip(width = 600, height = 200): Buffer {
  const rows: Buffer[] = [];
  const trace = (x: number) => {
    const beat = x % 120;
    const base = height / 2;
    if (beat >= 50 && beat < 54) return base - (beat - 50) * 18; // R up
    if (beat >= 54 && beat < 58) return base - 72 + (beat - 54) * 24; // down to S
    if (beat >= 80 && beat < 100) return base - 10 * Math.sin(((beat - 80) / 20) * Math.PI); // T
    return base;
  };
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const grid = x % 20 === 0 || y % 20 === 0;
      const onTrace = Math.abs(y - trace(x)) < 2 || Math.abs(y - trace(x + 1)) < 2;
      const [r, g, b] = onTrace ? [0, 0, 0] : grid ? [240, 160, 170] : [255, 240, 242];
      row[1 + x * 3] = r;
      row[2 + x * 3] = g;
      row[3 + x * 3] = b;
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

async function as(browser: Browser, email: string, javascript: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: javascript });
  const page = await context.newPage();
  await signIn(page, email, DEMO_PASSWORD, javascript);
  return page;
}

/** Submits the form around the button named `name`, after filling `fields` (label → value). */
async function step(page: Page, name: string, fields: Record<string, string> = {}) {
  const form = page.locator("form").filter({ has: page.getByRole("button", { name, exact: true }) });
  for (const [label, value] of Object.entries(fields)) {
    const field = form.getByLabel(label);
    const tag = await field.evaluate((el) => el.tagName).catch(() => "");
    if (tag === "SELECT") await field.selectOption(value);
    else await field.fill(value);
  }
  await form.getByRole("button", { name, exact: true }).click();
}

export async function consultFlow(browser: Browser, javascript: boolean) {
  const gp = await as(browser, GP_EMAIL, javascript);
  const question = unique("Is this LBBB new, and does she need an echo this week?");

  // Find the cardiologist by name and write the request.
  await gp.goto("/consults/new");
  await gp.getByLabel("Find a colleague or a department").fill("Farah");
  await gp.getByRole("button", { name: "Find" }).click();
  await gp.getByRole("link", { name: `Ask ${CARDIOLOGIST_NAME}` }).click();
  await expect(gp.locator("main")).toContainText(CARDIOLOGIST_NAME);
  await gp.locator("#field-specialty").fill("cardiology");
  await gp.locator("#field-question").fill(question);
  await gp.locator("#field-situation").fill("Breathless on exertion for two months.");
  await gp.locator("#field-assessment").fill("LBBB on today's ECG; no old ECG to compare.");
  await gp.locator("#field-ask").fill("Whether she needs an echo this week, or can wait.");
  await gp.locator("#field-age_band").selectOption("65_to_79");
  await gp.locator("#field-sex").selectOption("female");
  await gp.getByRole("button", { name: "Save the draft" }).click();
  await expect(gp).toHaveURL(/\/consults\/\d+$/);
  const url = new URL(gp.url()).pathname;
  await expect(gp.getByRole("heading", { level: 1 })).toContainText("cardiology");

  // The ECG, then consent, then send.
  await gp.locator("#consult-image").setInputFiles({
    name: "ecg.png",
    mimeType: "image/png",
    buffer: ecgStrip(),
  });
  await gp.locator("#consult-alt_text").fill("Rhythm strip, lead II: broad QRS complexes");
  await gp.getByRole("button", { name: "Add the image" }).click();
  await expect(gp).toHaveURL(new RegExp(`${url}(\\?.*)?(#.*)?$`));
  await expect(gp.getByRole("img", { name: "Rhythm strip, lead II: broad QRS complexes" })).toBeVisible();
  await gp.getByLabel("The patient agreed to a colleague's opinion").check();
  await step(gp, "Send the consult", {
    How: "verbal",
    When: new Date().toISOString().slice(0, 10),
  });
  await expect(gp.locator("main")).toContainText("Waiting to be accepted");

  // The cardiologist accepts and asks for more.
  const cardiologist = await as(browser, CARDIOLOGIST_EMAIL, javascript);
  await cardiologist.goto(url);
  await expect(cardiologist.locator("main")).toContainText(question);
  await expect(
    cardiologist.getByRole("img", { name: "Rhythm strip, lead II: broad QRS complexes" }),
  ).toBeVisible();
  await step(cardiologist, "Accept");
  await expect(cardiologist.locator("main")).toContainText("Accepted");
  await step(cardiologist, "Ask", { "Ask for more information": "Any chest pain at rest? Her BP today?" });
  await expect(cardiologist.locator("main")).toContainText("Information requested");

  // The GP adds it.
  await gp.goto(url);
  await expect(gp.locator("main")).toContainText("Any chest pain at rest?");
  await step(gp, "Send", { "The information asked for": "No chest pain at rest. BP 150/94." });
  await expect(gp.locator("main")).toContainText("No chest pain at rest.");

  // The cardiologist answers.
  await cardiologist.goto(url);
  await step(cardiologist, "Send the answer", {
    Impression: "Heart failure until proven otherwise; LBBB alone needs no transfer.",
    Recommendations: "Furosemide 20 mg mornings; echo within two weeks.",
    "Referral advised": "routine",
  });
  await expect(cardiologist.locator("main")).toContainText("Heart failure until proven otherwise");

  // The GP closes it with a rating and proposes a teaching case; the cardiologist agrees.
  await gp.goto(url);
  await expect(gp.locator("main")).toContainText("Furosemide 20 mg mornings");
  await step(gp, "Close the consult", {
    "Useful (1–5)": "5",
    "Educational (1–5)": "4",
    Outcome: "referral_avoided",
  });
  await expect(gp.locator("main")).toContainText("Closed");
  await step(gp, "Propose a teaching case");
  await cardiologist.goto(url);
  // Agreeing makes the draft and opens it.
  await step(cardiologist, "Agree and make the draft");
  await expect(cardiologist).toHaveURL(/\/cases\/\d+$/);
  const main = cardiologist.locator("main");
  await expect(main).toContainText(GP_NAME);
  await expect(main).toContainText(CARDIOLOGIST_NAME);
  await expect(main).toContainText("Heart failure until proven otherwise");
  // The GP, its co-author, opens the same draft from the consult.
  const draft = new URL(cardiologist.url()).pathname;
  await gp.goto(url);
  await gp.getByRole("link", { name: "Open the draft" }).click();
  await expect(gp).toHaveURL(new RegExp(`${draft}$`));
  await expect(gp.locator("main")).toContainText("Heart failure until proven otherwise");
  // The consult's ECG came along, on the draft's images page.
  await gp.goto(`${draft}/images`);
  await expect(gp.getByRole("img", { name: "Rhythm strip, lead II: broad QRS complexes" })).toBeVisible();
  await gp.context().close();
  await cardiologist.context().close();
}
