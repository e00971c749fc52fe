// The same flows with JavaScript disabled: plain HTML forms, server redirects.
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, MENTOR_EMAIL, fillCase, registerResident, signIn, unique } from "./helpers";

test("register without JavaScript", async ({ page }) => {
  await registerResident(page, false);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("validation errors without JavaScript keep what was typed", async ({ page }) => {
  await signIn(page, MENTOR_EMAIL, DEMO_PASSWORD, false);
  await page.goto("/cases/new");
  await page.locator("#field-summary").fill("Summary typed before the mistake.");
  await page.locator("#field-body").fill("Body typed before the mistake.");
  await page.locator("#field-specialty").selectOption("general-surgery");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.locator("#field-title-error")).toContainText("Give the case a title");
  await expect(page.locator("#field-body")).toHaveValue("Body typed before the mistake.");
  await expect(page.locator("#field-summary")).toHaveValue("Summary typed before the mistake.");
});

test("write and publish a case without JavaScript", async ({ page }) => {
  const title = unique("No-JS case");
  await signIn(page, MENTOR_EMAIL, DEMO_PASSWORD, false);
  await page.goto("/cases/new");
  await expect(page.getByRole("button", { name: "Preview" })).toBeHidden();
  await fillCase(page, title, "## Plan\n\nWritten without **JavaScript**.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  await expect(page.getByRole("status")).toContainText("Draft preview");
  await expect(page.locator(".case-body strong")).toHaveText("JavaScript");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("status")).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await page.goto("/cases");
  await expect(page.getByRole("link", { name: title })).toBeVisible();
});

test("take a case module without JavaScript: one question per page, feedback, result", async ({ page }) => {
  await registerResident(page, false);
  await page.goto("/search?q=Courvoisier");
  await page.getByRole("link", { name: "Painless jaundice with a palpable gallbladder" }).click();
  await page.getByRole("link", { name: "Take the case module" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Case module");
  await page.getByRole("button", { name: /Start|Resume/ }).click();
  await expect(page).toHaveURL(/\/quiz\/attempts\/\d+\/1$/);
  // Saving without choosing says what is missing, next to the answer.
  await page.getByRole("button", { name: "Save answer" }).click();
  await expect(page.locator("#answer-error")).toHaveText("Choose an answer.");
  await page.getByLabel("Carcinoma of the head of the pancreas").check();
  await page.getByRole("button", { name: "Save answer" }).click();
  await expect(page.locator(".review")).toContainText("Correct");
  await expect(page.locator(".review")).toContainText("Courvoisier's law");
  await page.getByRole("link", { name: "Next →" }).click();
  await page.getByLabel("Contrast-enhanced CT of the pancreas").check();
  await page.getByRole("button", { name: "Save answer" }).click();
  await expect(page.locator(".review")).toContainText("Partly correct (50 %)");
  await page.getByRole("button", { name: "Submit attempt" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not passed yet");
  await expect(page.getByRole("status")).toContainText("You scored 38 % (pass mark 70 %).");
});
