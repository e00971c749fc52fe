// A mentor builds a second module from their question bank: questions imported into one
// module are found by tag and words, added to another case's module, tagged (refused beside the
// field when there are too many tags), and the bank shows every module a question serves.
// Shared by the JavaScript on and off specs.
import { expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD, MENTOR_EMAIL, fillCase, hydrated, signIn, unique } from "./helpers";

async function newCase(page: Page, title: string): Promise<string> {
  await page.goto("/cases/new");
  await fillCase(page, title, "A case to build a module for.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  return new URL(page.url()).pathname;
}

export async function questionBank(page: Page, javascript: boolean) {
  await signIn(page, MENTOR_EMAIL, DEMO_PASSWORD, javascript);
  const tag = unique("bank");
  const newTag = unique("hyperkalaemia");
  const first = unique("Peaked T");
  const firstTitle = unique("Ward ECGs");
  const firstCase = await newCase(page, firstTitle);
  await page.goto(`${firstCase}/quiz/edit`);
  await hydrated(page, javascript);
  await page.locator("#field-gift").fill(
    `// [tag:${tag}]\n::${first}:: Which disturbance gives peaked T waves? {=Hyperkalaemia ~Hypokalaemia}\n\n` +
      `// [tag:${tag}]\n::Delta wave:: A slurred upstroke before the QRS suggests? {=WPW syndrome ~Brugada syndrome}\n`,
  );
  await page.getByRole("button", { name: "Import questions" }).click();
  await expect(page.locator("main")).toContainText("Questions (2)");

  // A second case's module, built from the bank.
  const secondTitle = unique("Night shift ECGs");
  const secondCase = await newCase(page, secondTitle);
  await page.goto(`${secondCase}/quiz/edit`);
  await hydrated(page, javascript);
  await page.getByRole("link", { name: "Choose questions from your bank" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Question bank");
  await expect(page.locator("main")).toContainText(`Adding questions to the module of “${secondTitle}”`);

  // Found by tag, then by tag and words.
  await page.getByLabel("Tag", { exact: true }).selectOption(tag);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.locator(".bank-list > li")).toHaveCount(2);
  await page.getByLabel("Words in the question").fill("peaked");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.locator(".bank-list > li")).toHaveCount(1);
  await expect(page).toHaveURL(/module=\d+/);
  const card = page.locator(".bank-list > li").first();
  await expect(card).toContainText(first);
  await expect(card).toContainText(`Serves the module of:`);
  await expect(card).toContainText(firstTitle);

  // Added to this module: back here, at the question, now in both modules.
  await card.getByRole("button", { name: `Add to this module: ${first}` }).click();
  await expect(page).toHaveURL(/\/quiz\/bank\?.*module=\d+/);
  const added = page.locator(".bank-list > li").first();
  await expect(added).toContainText("In this module");
  await expect(added).toContainText("Serves these modules:");
  await expect(added).toContainText(secondTitle);

  // Too many tags: refused beside the field, what was typed kept; then saved.
  const many = Array.from({ length: 13 }, (_, i) => `t${i}`).join(", ");
  const tags = added.getByLabel("Tags", { exact: true });
  await tags.fill(many);
  await added.getByRole("button", { name: `Save tags: ${first}` }).click();
  const refused = page.locator(".bank-list > li").first();
  await expect(refused.locator(".field-error")).toContainText("at most 12 tags");
  await expect(refused.getByLabel("Tags", { exact: true })).toHaveValue(many);
  await refused.getByLabel("Tags", { exact: true }).fill(`${tag}, ${newTag}`);
  await refused.getByRole("button", { name: `Save tags: ${first}` }).click();
  await expect(page.locator(".bank-list > li").first().getByLabel("Tags", { exact: true })).toHaveValue(`${tag}, ${newTag}`);
  await expect(page.locator(".bank-list > li").first().locator(".field-error")).toHaveText("");

  // The page fits a phone.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);

  // The second module offers it.
  await page.getByRole("link", { name: "Back to the module" }).click();
  await expect(page).toHaveURL(new RegExp(`${secondCase}/quiz/edit`));
  await expect(page.locator("main")).toContainText("Questions (1)");
  await expect(page.locator("main")).toContainText("Which disturbance gives peaked T waves?");

  // The bank, reached from the menu, finds it by its new tag.
  await page.goto(`/quiz/bank?tag=${newTag}`);
  await expect(page.locator(".bank-list > li")).toHaveCount(1);
  await expect(page.locator(".bank-list > li").first()).toContainText(first);
}
