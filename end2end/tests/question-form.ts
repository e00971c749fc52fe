// A mentor writes a question in the module's question form (no file format), is told beside
// the options what is wrong, and edits it. Shared by the JavaScript on and off specs.
import { expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD, MENTOR_EMAIL, fillCase, hydrated, signIn, unique } from "./helpers";

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

  await page.locator("#answer-0-weight").fill("100");
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page).toHaveURL(new RegExp(`${caseUrl}/quiz/edit`));
  await expect(page.locator("main")).toContainText(question);
  await expect(page.locator("main")).toContainText("Hyperkalaemia (100 %)");

  // Edit it: the form holds what was saved.
  await page.getByRole("link", { name: /^Edit question/ }).first().click();
  await expect(page.locator("#answer-1-text")).toHaveValue("Hypokalaemia");
  await page.locator("#answer-2-text").fill("Hypocalcaemia");
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page).toHaveURL(new RegExp(`${caseUrl}/quiz/edit`));
  await expect(page.locator("main")).toContainText("Hypocalcaemia (0 %)");

  // The whole module as a learner gets it, without making an attempt.
  await page.getByRole("link", { name: "Preview as a learner" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Preview as a learner");
  await expect(page.locator("main")).toContainText(question);
  await expect(page.getByRole("checkbox").or(page.getByRole("radio")).first()).toBeDisabled();
}
