// With JavaScript, the question form edits its options in place: added, removed and moved
// without a page load, the right option of a single best answer marked with a radio button,
// and the question and explanation previewed as rendered Markdown while the mentor types.
import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, MENTOR_EMAIL, fillCase, hydrated, signIn, unique } from "./helpers";

async function newCase(page: Page): Promise<string> {
  await signIn(page, MENTOR_EMAIL, DEMO_PASSWORD);
  await page.goto("/cases/new");
  await hydrated(page);
  await fillCase(page, unique("Hyponatraemia in the elderly"), "Confusion with a sodium of 112.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  return new URL(page.url()).pathname;
}

test("a mentor adds, removes and moves options in place, previews Markdown and marks the right one", async ({ page }) => {
  const caseUrl = await newCase(page);
  await page.goto(`${caseUrl}/quiz/questions/new?kind=single`);
  await hydrated(page);
  // A page load would lose this mark.
  await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
  const address = page.url();
  const samePage = async () => {
    expect(page.url()).toBe(address);
    expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
  };
  const rows = page.locator("ol.answer-rows > li");
  await expect(rows).toHaveCount(3);
  // Weights give way to radio buttons.
  await expect(page.locator("#answer-0-weight")).toHaveCount(0);

  const stem = unique("Which is the **first** step");
  await page.locator("#field-text").fill(`${stem} in severe symptomatic hyponatraemia?`);
  await expect(page.locator("#preview-text strong")).toHaveText("first");
  await page.locator("#field-explanation").fill("Raise the sodium _slowly_.");
  await expect(page.locator("#preview-explanation em")).toHaveText("slowly");

  await page.locator("#answer-0-text").fill("Hypertonic saline");
  await page.locator("#answer-0-feedback").fill("Yes: 3 % saline in boluses.");
  await page.locator("#answer-1-text").fill("Fluid restriction");
  await page.locator("#answer-2-text").fill("Oral salt tablets");

  // Add a fourth option in place: the keyboard goes to it.
  await page.getByRole("button", { name: "Add an option" }).click();
  await expect(rows).toHaveCount(4);
  await expect(page.locator("#answer-3-text")).toBeFocused();
  await page.keyboard.type("Wait and recheck");

  // Remove the third; the fourth takes its place with what was typed in it.
  await page.getByRole("button", { name: "Remove option 3" }).click();
  await expect(rows).toHaveCount(3);
  await expect(page.locator("#answer-2-text")).toHaveValue("Wait and recheck");

  // Move it up: its fields go with it, and the keyboard stays on its button.
  await page.getByRole("button", { name: "Move option 3 up" }).click();
  await expect(page.locator("#answer-1-text")).toHaveValue("Wait and recheck");
  await expect(page.locator("#answer-2-text")).toHaveValue("Fluid restriction");
  await expect(page.getByRole("button", { name: "Move option 2 up" })).toBeFocused();
  await expect(page.getByRole("button", { name: "Move option 1 up" })).toBeDisabled();
  await expect(page.locator("#answer-0-feedback")).toHaveValue("Yes: 3 % saline in boluses.");
  await samePage();

  // No right option marked: refused beside the options, still on the same page.
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page.locator("#field-answers-error")).toContainText("exactly one");
  await samePage();
  await expect(page.locator("#answer-1-text")).toHaveValue("Wait and recheck");

  // A phone's width needs no sideways scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  await page.getByRole("radio", { name: "Option 1 is the right answer" }).check();
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page).toHaveURL(new RegExp(`${caseUrl}/quiz/edit`));
  const saved = page.locator("ol.question-list > li").first();
  await expect(saved).toContainText("Which is the");
  await expect(saved).toContainText(
    /Hypertonic saline \(100 %\)[\s\S]*Wait and recheck \(0 %\)[\s\S]*Fluid restriction \(0 %\)/,
  );

  // Editing: the right option is checked, the preview is there at once; another is chosen.
  await page.getByRole("link", { name: /^Edit question/ }).first().click();
  await hydrated(page);
  await expect(page.getByRole("radio", { name: "Option 1 is the right answer" })).toBeChecked();
  await expect(page.locator("#preview-text strong")).toHaveText("first");
  await page.getByRole("radio", { name: "Option 2 is the right answer" }).check();
  await expect(page.getByRole("radio", { name: "Option 1 is the right answer" })).not.toBeChecked();
  await page.getByRole("button", { name: "Save the question" }).click();
  await expect(page).toHaveURL(new RegExp(`${caseUrl}/quiz/edit`));
  await expect(page.locator("ol.question-list > li").first()).toContainText(
    /Hypertonic saline \(0 %\)[\s\S]*Wait and recheck \(100 %\)/,
  );
});
