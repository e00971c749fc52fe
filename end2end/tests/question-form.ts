// A mentor writes a question in the module's question form (no file format), is told beside
// the options what is wrong, and edits it. Shared by the JavaScript on and off specs.
import { expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD, MENTOR_EMAIL, fillCase, hydrated, registerResident, signIn, unique } from "./helpers";

export async function questionForm(page: Page, javascript: boolean) {
  await signIn(page, MENTOR_EMAIL, DEMO_PASSWORD, javascript);
  await page.goto("/cases/new");
  await fillCase(page, unique("Hyperkalaemia on the ward"), "Peaked T waves on a routine ECG.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  const caseUrl = new URL(page.url()).pathname;

  await page.goto(`${caseUrl}/quiz/edit`);
  await hydrated(page, javascript);
  await page.getByRole("link", { name: "Single best answer" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New question: Single best answer");
  await hydrated(page, javascript);

  // No option marked right: refused beside the options, and what was typed stays.
  const question = unique("Which electrolyte disturbance gives peaked T waves?");
  await page.locator("#field-text").fill(question);
  await page.locator("#answer-0-text").fill("Hyperkalaemia");
  await page.locator("#answer-0-feedback").fill("Yes: potassium.");
  await page.locator("#answer-1-text").fill("Hypokalaemia");
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page.locator("#field-answers-error")).toContainText("exactly one");
  await expect(page.locator("#answer-0-text")).toHaveValue("Hyperkalaemia");
  await expect(page.locator("#answer-0-feedback")).toHaveValue("Yes: potassium.");

  // With JavaScript the right option of a single best answer is a radio button; without, a weight.
  if (javascript) await page.getByRole("radio", { name: "Option 1 is the right answer" }).check();
  else await page.locator("#answer-0-weight").fill("100");
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page).toHaveURL(new RegExp(`${caseUrl}/quiz/edit`));
  await expect(page.locator("main")).toContainText(question);
  await expect(page.locator("main")).toContainText("Hyperkalaemia (100 %)");

  // Edit it: the form holds what was saved.
  await page.getByRole("link", { name: /^Edit question/ }).first().click();
  await hydrated(page, javascript);
  await expect(page.locator("#answer-1-text")).toHaveValue("Hypokalaemia");
  await page.locator("#answer-2-text").fill("Hypocalcaemia");
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page).toHaveURL(new RegExp(`${caseUrl}/quiz/edit`));
  await expect(page.locator("main")).toContainText("Hypocalcaemia (0 %)");

  // One question of each other kind, written in the form (no file format).
  await page.getByRole("link", { name: "Multiple response" }).click();
  await hydrated(page, javascript);
  await page.locator("#field-text").fill("Which drugs commonly cause SJS in India?");
  await page.locator("#answer-0-text").fill("Carbamazepine");
  await page.locator("#answer-0-weight").fill("50");
  await page.locator("#answer-1-text").fill("Allopurinol");
  await page.locator("#answer-1-weight").fill("50");
  await page.locator("#answer-2-text").fill("Paracetamol");
  await page.locator("#answer-2-weight").fill("-100");
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page.locator("main")).toContainText("Allopurinol (50 %)");

  await page.getByRole("link", { name: "True or false" }).click();
  await page.locator("#field-text").fill("Hyperkalaemia can cause sine waves on the ECG.");
  await page.getByLabel("True", { exact: true }).check();
  await page.locator("#field-feedback_true").fill("Yes, when severe.");
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page.locator("main")).toContainText("Hyperkalaemia can cause sine waves");

  await page.getByRole("link", { name: "Short answer" }).click();
  await hydrated(page, javascript);
  await page.locator("#field-text").fill("Name the first ECG sign of hyperkalaemia.");
  await page.locator("#answer-0-text").fill("peaked T waves");
  await page.locator("#answer-0-weight").fill("100");
  await page.locator("#answer-1-text").fill("tented T*");
  await page.locator("#answer-1-weight").fill("100");
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page.getByRole("heading", { name: "Questions (4)" })).toBeVisible();

  // Reorder: the short answer moves up above the true/false question; a copy of the first
  // question lands right after it.
  const items = page.locator("ol.question-list > li");
  await page.getByRole("button", { name: /^Move question up: Name the first ECG sign/ }).click();
  await expect(items.nth(2)).toContainText("Name the first ECG sign");
  await expect(items.nth(3)).toContainText("sine waves");
  await page.getByRole("button", { name: /^Duplicate question: / }).first().click();
  await expect(page.getByRole("heading", { name: "Questions (5)" })).toBeVisible();
  await expect(items.nth(1)).toContainText("(copy)");
  await expect(items.nth(1)).toContainText(question);
  await page.getByRole("button", { name: /^Delete question: .*\(copy\)/ }).click();
  await expect(page.getByRole("heading", { name: "Questions (4)" })).toBeVisible();

  // The whole module as a learner gets it, without making an attempt.
  await page.getByRole("link", { name: "Preview as a learner" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Preview as a learner");
  await expect(page.locator("main")).toContainText(question);
  await expect(page.getByRole("checkbox").or(page.getByRole("radio")).first()).toBeDisabled();
  const preview = page.locator("main");
  const text = (await preview.innerText()).replace(/\s+/g, " ");
  const at = (needle: string) => text.indexOf(needle);
  expect(at(question)).toBeGreaterThanOrEqual(0);
  expect(at(question)).toBeLessThan(at("Which drugs commonly cause SJS"));
  expect(at("Which drugs commonly cause SJS")).toBeLessThan(at("Name the first ECG sign"));
  expect(at("Name the first ECG sign")).toBeLessThan(at("sine waves on the ECG"));

  // Published, a resident takes it in that order.
  await page.goto(caseUrl);
  await hydrated(page, javascript);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("button", { name: "Unpublish" })).toBeVisible();
  const resident = await page.context().browser()!.newContext({ javaScriptEnabled: javascript });
  const learner = await resident.newPage();
  await registerResident(learner, javascript);
  await learner.goto(caseUrl);
  await learner.getByRole("link", { name: "Take the case module" }).click();
  await learner.getByRole("button", { name: "Start" }).click();
  await expect(learner).toHaveURL(/\/quiz\/attempts\/\d+\/1$/);
  await expect(learner.locator("main")).toContainText(question);
  const attempt = new URL(learner.url()).pathname.replace(/\/1$/, "");
  await learner.goto(`${attempt}/3`);
  await expect(learner.locator("main")).toContainText("Name the first ECG sign");
  await resident.close();
}
