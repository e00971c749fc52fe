import { expect, test } from "@playwright/test";
import {
  DEMO_PASSWORD,
  MENTOR_EMAIL,
  MENTOR_NAME,
  fillCase,
  hydrated,
  registerResident,
  signIn,
  unique,
  ownAddress,
} from "./helpers";

test("a resident registers and lands on their home page", async ({ page }) => {
  await registerResident(page);
  await expect(page.getByRole("heading", { name: "Mentors to follow" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("registration errors appear next to the fields and keep what was typed", async ({ page }) => {
  await ownAddress(page);
  await page.goto("/register");
  await hydrated(page);
  await page.locator("#field-full_name").fill("Dr. Careful Typist");
  await page.locator("#field-email").fill("not-an-email");
  await page.locator("#field-password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#field-email-error")).toContainText("does not look like an e-mail");
  await expect(page.locator("#field-password-error")).toContainText("at least 10");
  await expect(page.locator("#field-full_name")).toHaveValue("Dr. Careful Typist");
  await expect(page.locator("#field-email")).toHaveAttribute("aria-invalid", "true");
});

test("a mentor writes, previews and publishes; a resident follows and reads it from home", async ({ browser }) => {
  const title = unique("Post-operative fever on day five");
  const mentorContext = await browser.newContext();
  const mentor = await mentorContext.newPage();
  await signIn(mentor, MENTOR_EMAIL, DEMO_PASSWORD);
  await mentor.getByRole("link", { name: "Write a case sketch" }).click();
  await expect(mentor).toHaveURL(/\/cases\/new$/);
  await hydrated(mentor);
  await fillCase(mentor, title, "## Examination\n\nWound **erythema** at the lower end.\n\n- Pulse 104/min");
  await mentor.getByRole("button", { name: "Preview" }).click();
  const preview = mentor.locator(".preview");
  await expect(preview.getByRole("heading", { name: "Examination" })).toBeVisible();
  await expect(preview.locator("strong")).toHaveText("erythema");

  await mentor.getByRole("button", { name: "Save draft" }).click();
  await expect(mentor).toHaveURL(/\/cases\/\d+$/);
  await expect(mentor.getByRole("status")).toContainText("Draft preview");
  const caseUrl = mentor.url();
  await mentor.getByRole("button", { name: "Publish" }).click();
  await expect(mentor.getByRole("status")).toHaveCount(0);
  await expect(mentor.getByRole("heading", { level: 1 })).toHaveText(title);
  await mentorContext.close();

  const residentContext = await browser.newContext();
  const resident = await residentContext.newPage();
  await registerResident(resident);
  await resident.goto(caseUrl);
  await hydrated(resident);
  await resident.getByRole("link", { name: MENTOR_NAME }).first().click();
  await expect(resident.getByRole("heading", { level: 1 })).toHaveText(MENTOR_NAME);
  await hydrated(resident);
  await resident.getByRole("button", { name: "Follow", exact: true }).click();
  await expect(resident.getByRole("button", { name: /unfollow/ })).toBeVisible();

  await resident.getByRole("link", { name: "Corridor" }).click();
  const latest = resident.locator("section", { has: resident.getByRole("heading", { name: "Your feed" }) });
  await latest.getByRole("link", { name: title }).click();
  await expect(resident.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(resident.locator(".case-body strong")).toHaveText("erythema");

  // And finds it through search, with the match highlighted.
  await resident.getByRole("link", { name: "Search" }).click();
  await resident.locator("#search-q").fill("erythema");
  await resident.getByRole("button", { name: "Search", exact: true }).click();
  await expect(resident).toHaveURL(/\/search\?q=erythema/);
  const hit = resident.locator("article", { has: resident.getByRole("link", { name: title }) });
  await expect(hit.locator("mark").first()).toHaveText(/erythema/i);
  await residentContext.close();
});

test("a case carrying an XSS payload shows its text and runs no script", async ({ browser }) => {
  const title = unique("XSS check");
  const context = await browser.newContext();
  const page = await context.newPage();
  let dialogs = 0;
  page.on("dialog", async (dialog) => {
    dialogs += 1;
    await dialog.dismiss();
  });
  await signIn(page, MENTOR_EMAIL, DEMO_PASSWORD);
  await page.goto("/cases/new");
  await hydrated(page);
  await fillCase(
    page,
    title,
    "Visible before.\n\n<script>window.__xss = 'script'; alert('script')</script>\n\n" +
      "<img src=x onerror=\"window.__xss = 'img'; alert('img')\">\n\n" +
      "[click me](javascript:window.__xss='link';alert('link'))\n\nVisible after.",
  );
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.locator(".preview")).toContainText("Visible after.");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await page.reload();
  await hydrated(page);
  await expect(page.locator(".case-body")).toContainText("Visible before.");
  await expect(page.locator(".case-body")).toContainText("Visible after.");
  const link = page.locator(".case-body a", { hasText: "click me" });
  if ((await link.count()) > 0) {
    await link.click();
  }
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  expect(dialogs).toBe(0);
  expect(await page.locator(".case-body script, .case-body [onerror]").count()).toBe(0);
  await context.close();
});

test("unknown pages show a proper 404", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});

test("the layout fits a 360 px phone without sideways scrolling", async ({ page }) => {
  await signIn(page, MENTOR_EMAIL, DEMO_PASSWORD);
  await page.goto("/cases");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("a case with an Aadhaar-like number cannot be published until it is fixed", async ({ page }) => {
  const title = unique("Privacy guard");
  await signIn(page, MENTOR_EMAIL, DEMO_PASSWORD);
  await page.goto("/cases/new");
  await hydrated(page);
  // 4973 1823 4563 carries a valid Verhoeff check digit, like a real Aadhaar number.
  await fillCase(page, title, "Referral slip showed Aadhaar 4973 1823 4563 and a history of fever.");
  // The guard checks as you type, a moment after you pause.
  await expect(page.locator(".privacy-panel")).toContainText("Privacy check: 1 possible patient identifier");
  await expect(page.locator(".privacy-panel mark")).toHaveText("4973 1823 4563");
  await page.getByRole("button", { name: "Publish" }).click();
  const panel = page.locator(".privacy-panel");
  await expect(panel).toContainText("Publishing is blocked");
  await expect(panel.locator("mark")).toHaveText("4973 1823 4563");
  await expect(panel).toContainText("Aadhaar number");

  // Nothing was lost and nothing was published: fix the text and publish the same draft.
  await expect(page.locator("#field-body")).toHaveValue(/4973 1823 4563/);
  await page.locator("#field-body").fill("Referral slip showed an ID number (removed) and a history of fever.");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByRole("status")).toHaveCount(0);
  await page.goto("/cases");
  await expect(page.getByRole("link", { name: title })).toHaveCount(1);
});

test("a resident follows a specialty, then finds a newly published case in the feed and via search", async ({ page, browser }) => {
  await registerResident(page);
  await page.goto("/specialties/dermatology");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dermatology");
  await hydrated(page);
  await page.getByRole("button", { name: "Follow specialty" }).click();
  await expect(page.getByRole("button", { name: /unfollow/ })).toBeVisible();

  // A mentor (whom the resident does not follow) publishes a new dermatology case.
  const word = `vitiligo${Date.now()}`;
  const title = unique("Depigmented patches");
  const mentorContext = await browser.newContext();
  const mentor = await mentorContext.newPage();
  await signIn(mentor, "arjun.nair@demo.corridor.in", DEMO_PASSWORD);
  await mentor.goto("/cases/new");
  await hydrated(mentor);
  await mentor.locator("#field-title").fill(title);
  await mentor.locator("#field-specialty").selectOption("dermatology");
  await mentor.locator("#field-summary").fill(`Symmetric depigmentation, a ${word} teaching case.`);
  await mentor.locator("#field-body").fill("Wood's lamp shows chalk-white fluorescence.");
  await mentor.getByRole("button", { name: "Publish" }).click();
  await expect(mentor.getByRole("heading", { level: 1 })).toHaveText(title);
  await mentorContext.close();

  await page.getByRole("link", { name: "Corridor" }).click();
  const feed = page.locator("section", { has: page.getByRole("heading", { name: "Your feed" }) });
  await expect(feed.getByRole("link", { name: title })).toBeVisible();
  await page.goto(`/search?q=${word}`);
  await expect(page.locator("article h3 a")).toHaveText([title]);
  await expect(page.locator("article .snippet mark").first()).toContainText(word);
});

test("comment on a case and reply", async ({ page }) => {
  await registerResident(page);
  await page.goto("/search?specialty=cardiology");
  await page.locator("article h3 a").first().click();
  await hydrated(page);
  const discussion = page.locator("section.discussion");
  const comment = unique("Would a bedside echo have changed the plan?");
  await discussion.locator("#field-body").fill(comment);
  await discussion.getByRole("button", { name: "Post comment" }).click();
  const thread = discussion.locator("ol.comments > li", { hasText: comment });
  await expect(thread).toBeVisible();
  await thread.locator("summary", { hasText: "Reply" }).click();
  await thread.getByLabel("Your reply").fill("Answering my own question: yes, for RV function.");
  await thread.getByRole("button", { name: "Post reply" }).click();
  await expect(thread.locator("ol.replies")).toContainText("for RV function");
});
