// Without JavaScript, "More empty rows" sends the question form back with everything typed
// and more empty rows (nothing is saved); then saving works.
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, MENTOR_EMAIL, fillCase, signIn, unique } from "./helpers";

test("without JavaScript, More empty rows keeps what was typed and adds rows, then the question saves", async ({ page }) => {
  await signIn(page, MENTOR_EMAIL, DEMO_PASSWORD, false);
  await page.goto("/cases/new");
  await fillCase(page, unique("Drug rash with fever"), "Fever and a rash three weeks after a new drug.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  const caseUrl = new URL(page.url()).pathname;

  await page.goto(`${caseUrl}/quiz/questions/new?kind=multiple`);
  const rows = page.locator("ol.answer-rows > li");
  await expect(rows).toHaveCount(3);
  // The in-place tools need JavaScript and are not shown.
  await expect(page.getByRole("button", { name: "Add an option" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Remove option 1" })).toBeHidden();

  const stem = unique("Which drugs commonly cause SJS in India?");
  await page.locator("#field-text").fill(stem);
  await page.locator("#answer-0-text").fill("Carbamazepine");
  await page.locator("#answer-0-weight").fill("50");
  await page.locator("#answer-0-feedback").fill("HLA-B*15:02.");
  await page.locator("#answer-1-text").fill("Allopurinol");
  await page.locator("#answer-1-weight").fill("50");
  await page.locator("#answer-2-text").fill("Paracetamol");
  await page.locator("#answer-2-weight").fill("-100");
  await page.locator("#field-explanation").fill("Screen before carbamazepine.");

  await page.getByRole("button", { name: "More empty rows" }).click();
  await expect(rows).toHaveCount(6);
  await expect(page.locator("#field-text")).toHaveValue(stem);
  await expect(page.locator("#answer-0-text")).toHaveValue("Carbamazepine");
  await expect(page.locator("#answer-0-feedback")).toHaveValue("HLA-B*15:02.");
  await expect(page.locator("#answer-2-weight")).toHaveValue("-100");
  await expect(page.locator("#field-explanation")).toHaveValue("Screen before carbamazepine.");
  await expect(page.locator("#answer-5-text")).toHaveValue("");
  // Nothing was wrong, so nothing is flagged.
  await expect(page.locator(".form-error")).toHaveCount(0);

  await page.locator("#answer-4-text").fill("Phenytoin");
  await page.locator("#answer-4-weight").fill("0");
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page).toHaveURL(new RegExp(`${caseUrl}/quiz/edit`));
  const saved = page.locator("ol.question-list > li");
  await expect(saved).toHaveCount(1);
  await expect(saved).toContainText("Carbamazepine (50 %)");
  await expect(saved).toContainText("Phenytoin (0 %)");
});
