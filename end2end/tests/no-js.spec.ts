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
