// Case modules end to end: a mentor builds a module with one question of each type (including
// an image hotspot), a resident fails once, retakes and passes, evaluates and downloads the
// certificate, an anonymous browser verifies it, and the department admin sees the credit.
import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEMO_PASSWORD, MENTOR_EMAIL, fillCase, hydrated, registerSurgeryMember, signIn, unique } from "./helpers";

const GIFT = `::Cause:: A jaundiced man has a palpable, non-tender gallbladder. The likeliest cause? {
=Carcinoma of the head of the pancreas#Courvoisier's law.
~Stones in the common bile duct
~Acute viral hepatitis
####Image the pancreas.
}

::Work-up:: Which belong in the first work-up? {
~%50%CT of the pancreas
~%50%Serum CA 19-9
~%-100%Routine biliary stenting
}

::Drainage:: Pre-operative biliary drainage is routine. {FALSE#It is not routine.#Right.}

::Sign:: Name the sign. {=Courvoisier's sign =Courvoisier sign}
`;

/** A 640×480 JPEG with a bright oval in the middle (the "lesion"). */
async function photograph(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 480;
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = "#222";
    ctx.fillRect(0, 0, 640, 480);
    ctx.fillStyle = "#eee";
    ctx.beginPath();
    ctx.ellipse(320, 240, 100, 80, 0, 0, Math.PI * 2);
    ctx.fill();
    return canvas.toDataURL("image/jpeg", 0.9);
  });
  return Buffer.from(dataUrl.split(",")[1], "base64");
}

async function saveAnswer(page: Page) {
  await page.getByRole("button", { name: "Save answer" }).click();
}

async function next(page: Page, number: number) {
  await page.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(new RegExp(`/quiz/attempts/\\d+/${number}$`));
}

test("a resident passes a module of every question type on a retake, evaluates it and gets a verifiable certificate; the department sees the credit", async ({ browser }) => {
  test.setTimeout(120_000);
  // The mentor builds the module.
  const mentorContext = await browser.newContext();
  const mentor = await mentorContext.newPage();
  const title = unique("Obstructive jaundice module");
  await signIn(mentor, MENTOR_EMAIL, DEMO_PASSWORD);
  await mentor.goto("/cases/new");
  await hydrated(mentor);
  await fillCase(mentor, title, "## Presentation\n\nPainless jaundice and a palpable gallbladder.");
  await mentor.getByRole("button", { name: "Save draft" }).click();
  await expect(mentor).toHaveURL(/\/cases\/\d+$/);
  const caseUrl = new URL(mentor.url()).pathname;
  const caseId = caseUrl.split("/").pop();

  await mentor.goto(`${caseUrl}/images`);
  await mentor.locator("#field-image").setInputFiles({ name: "ct.jpg", mimeType: "image/jpeg", buffer: await photograph(mentor) });
  await mentor.locator("#field-alt_text").fill("CT, axial: mass in the head of the pancreas");
  await mentor.getByRole("button", { name: "Upload" }).click();
  await expect(mentor).toHaveURL(/\/images\/\d+$/);
  await mentor.goto(`${caseUrl}/images`);
  await hydrated(mentor);
  await mentor.locator("#field-obtained").check();
  await mentor.locator("#field-form_reference").fill("CF-2026-200");
  await mentor.locator("#field-consent_date").fill("2026-11-02");
  await mentor.getByRole("button", { name: "Record consent" }).click();
  await expect(mentor.locator(".consent-on-file")).toBeVisible();

  await mentor.goto(`${caseUrl}/quiz/edit`);
  await hydrated(mentor);
  await mentor.locator("#field-pass_mark").fill("100");
  await mentor.locator("#field-credit_amount").fill("1");
  await mentor.getByRole("button", { name: "Create module" }).click();
  await expect(mentor.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
  await mentor.locator("#field-gift").fill(GIFT);
  await mentor.getByRole("button", { name: "Import questions" }).click();
  await expect(mentor.getByRole("heading", { name: "Questions (4)" })).toBeVisible();
  await mentor.getByRole("link", { name: /^On “CT, axial/ }).click();
  await expect(mentor.getByRole("heading", { level: 1 })).toHaveText("New hotspot question");
  await hydrated(mentor);
  await mentor.locator("#field-text").fill("Click the mass.");
  // Without a region the question is refused, and says why.
  await mentor.getByRole("button", { name: "Add the question" }).click();
  await expect(mentor.getByRole("alert").filter({ hasText: "Draw the region" })).toBeVisible();
  await mentor.locator("svg.overlay.editing").scrollIntoViewIfNeeded();
  const canvas = (await mentor.locator("svg.overlay.editing").boundingBox())!;
  await mentor.mouse.move(canvas.x + 0.3 * canvas.width, canvas.y + 0.3 * canvas.height);
  await mentor.mouse.down();
  await mentor.mouse.move(canvas.x + 0.7 * canvas.width, canvas.y + 0.7 * canvas.height, { steps: 8 });
  await mentor.mouse.up();
  await expect(mentor.locator("svg.overlay.editing .ann")).toHaveCount(1);
  await mentor.getByRole("button", { name: "Add the question" }).click();
  await expect(mentor.getByRole("heading", { name: "Questions (5)" })).toBeVisible();
  await mentor.goto(caseUrl);
  await hydrated(mentor);
  await mentor.getByRole("button", { name: "Publish" }).click();
  await expect(mentor.getByRole("button", { name: "Unpublish" })).toBeVisible();
  await mentorContext.close();

  // A resident of the same department.
  const residentContext = await browser.newContext();
  const page = await residentContext.newPage();
  // Named in Devanagari: the certificate must print the name as itself.
  const name = unique("डॉ. प्रिया Resident");
  // An address at the college's domain: confirming it makes the resident a member.
  await registerSurgeryMember(page, name);
  await page.goto("/cme");
  await hydrated(page);
  await page.locator("#field-profile_id").selectOption({ label: "Maharashtra Medical Council" });
  await page.locator("#field-cycle_start").fill("2026-01-01");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.locator(".progress")).toContainText("0 of 30 this cycle");

  await page.goto(caseUrl);
  await page.getByRole("link", { name: "Take the case module" }).click();
  await page.getByRole("button", { name: "Start" }).click();
  await expect(page).toHaveURL(/\/quiz\/attempts\/\d+\/1$/);

  // First attempt: a wrong answer, then submit: not passed.
  await page.getByLabel("Stones in the common bile duct").check();
  await saveAnswer(page);
  await expect(page.locator(".review")).toContainText("Not correct");
  await page.getByRole("button", { name: "Submit attempt" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not passed yet");

  // Second attempt: one question of each type, all right.
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page).toHaveURL(/\/quiz\/attempts\/\d+\/1$/);
  // With JavaScript the answer, its feedback and the distribution appear in place: no reload.
  await hydrated(page);
  await page.evaluate(() => ((window as unknown as { __samePage?: boolean }).__samePage = true));
  await page.getByLabel("Carcinoma of the head of the pancreas").check();
  await saveAnswer(page);
  await expect(page.locator(".review")).toContainText("Correct");
  await expect(page.locator(".review")).toContainText("Image the pancreas.");
  await expect(page.locator(".distribution")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
  await next(page, 2);
  await page.getByLabel("CT of the pancreas").check();
  await page.getByLabel("Serum CA 19-9").check();
  await saveAnswer(page);
  await expect(page.locator(".review")).toContainText("Correct");
  await next(page, 3);
  await page.getByLabel("False").check();
  await saveAnswer(page);
  await expect(page.locator(".review")).toContainText("Correct");
  await next(page, 4);
  await page.locator("#answer-text").fill("courvoisiers sign");
  await saveAnswer(page);
  await expect(page.locator(".review")).toContainText("Correct");
  await next(page, 5);
  await hydrated(page);
  await page.evaluate(() => ((window as unknown as { __samePage?: boolean }).__samePage = true));
  const spot = page.locator("input.hotspot");
  await spot.click({ position: { x: 320, y: 240 } });
  await expect(page.locator(".review")).toContainText("Correct");
  expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
  await page.getByRole("button", { name: "Submit attempt" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Passed");

  // The evaluation releases the credit and the certificate.
  await hydrated(page);
  await page.locator("#relevance-5").check();
  await page.locator("#quality-4").check();
  await page.locator("#field-practice_change").selectOption("will_change");
  await page.getByRole("button", { name: "Send evaluation" }).click();
  const download = page.getByRole("link", { name: "Download certificate (PDF)" });
  await expect(download).toBeVisible();
  const href = (await download.getAttribute("href"))!;
  const certificateId = href.split("/")[2];
  const pdf = await page.request.get(href);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  // Its text layer, read by poppler's pdftotext, carries the name in Devanagari.
  const file = path.join(os.tmpdir(), `certificate-${certificateId}.pdf`);
  fs.writeFileSync(file, await pdf.body());
  const layer = execFileSync("pdftotext", [file, "-"]).toString().replace(/\s+/g, " ");
  fs.unlinkSync(file);
  expect(layer).toContain(name);
  expect(layer).toContain(`/verify/${certificateId}`);
  await page.goto("/cme");
  await expect(page.locator(".progress")).toContainText("1 of 30 this cycle");
  await residentContext.close();

  // Anyone can verify the certificate by its address.
  const anonymousContext = await browser.newContext();
  const anonymous = await anonymousContext.newPage();
  await anonymous.goto(`/verify/${certificateId}`);
  await expect(anonymous.getByRole("status")).toHaveText("Valid certificate");
  await expect(anonymous.locator(".certificate")).toContainText(name);
  await anonymousContext.close();

  // The department admin sees the credit and exports the dashboard.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, "sunil.patil@demo.corridor.in", DEMO_PASSWORD);
  await admin.getByRole("link", { name: "Department" }).click();
  const row = admin.locator("tr", { hasText: name });
  await expect(row).toContainText("1 of 30");
  await expect(row).toContainText("Behind");
  const csv = await admin.request.get("/department/dashboard.csv");
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  const text = await csv.text();
  expect(text.split("\r\n")[0]).toBe("name,email,role,council,cycle_start,cycle_end,credit,required,status,gap");
  expect(text).toContain(`${name},`);
  expect(text).toContain(",2026-01-01,2030-12-31,1.00,30.00,Behind,");
  await adminContext.close();
  expect(caseId).toBeTruthy();
});
