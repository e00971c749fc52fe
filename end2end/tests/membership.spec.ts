import { expect, test, type Page } from "@playwright/test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { DEMO_PASSWORD, hydrated, signIn, unique } from "./helpers";
import { OUTBOX_DIR } from "../playwright.config";

const SURGERY = "Sahyadri Medical College & Hospital — General Surgery";
const PASSWORD = "a long enough password";

/** The newest link to `path` in the outbox mail for `to` (waits up to 10 s for it). */
async function mailedLink(to: string, path: string, nth = 1): Promise<string> {
  const header = `To: ${to}`;
  for (let i = 0; i < 100; i++) {
    let files: string[] = [];
    try {
      files = readdirSync(OUTBOX_DIR).filter((f) => f.endsWith(".eml"));
    } catch {
      files = [];
    }
    const mails = files
      .map((f) => `${OUTBOX_DIR}/${f}`)
      .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
      .map((f) => readFileSync(f, "utf8"))
      .filter((text) => text.split(/\r?\n/).some((line) => line.trim() === header));
    if (mails.length >= nth) {
      const match = mails[nth - 1].match(new RegExp(`https?://[^\\s]+${path}\\?token=[0-9a-f]{64}`));
      if (match) return match[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail #${nth} to ${to} with a ${path} link`);
}

async function register(page: Page, email: string, name: string, department?: string) {
  await page.goto("/register");
  await hydrated(page);
  await page.locator("#field-full_name").fill(name);
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(PASSWORD);
  if (department) await page.locator("#field-department_id").selectOption({ label: department });
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Welcome, ${name}`);
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

test("an address at the hospital's domain joins its department after confirming it", async ({ page }) => {
  const email = `${unique("e2e")}@demo.corridor.in`;
  await register(page, email, "Dr. Domain Joiner", SURGERY);
  await expect(page.getByRole("status").filter({ hasText: "confirm your e-mail" })).toBeVisible();
  await page.goto("/account");
  await expect(page.getByText("waits for its admin")).toBeVisible();

  await page.goto(await mailedLink(email, "/verify-email"));
  await hydrated(page);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page.getByRole("status")).toContainText("you are now a member of");
  await page.goto("/account");
  await expect(page.getByText("You are a verified member of")).toContainText("General Surgery");
});

test("a foreign address waits for the department admin, who approves it", async ({ page }) => {
  const email = `${unique("e2e")}@gmail.com`;
  const name = "Dr. Foreign Address";
  await register(page, email, name, SURGERY);
  await page.goto(await mailedLink(email, "/verify-email"));
  await hydrated(page);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page.getByRole("status")).toContainText("waits for the department's admin");
  await signOut(page);

  await signIn(page, "sunil.patil@demo.corridor.in", DEMO_PASSWORD);
  await page.goto("/department/members");
  await hydrated(page);
  const request = page.locator("li.card").filter({ hasText: email });
  await expect(request).toBeVisible();
  await request.getByRole("button", { name: "Approve" }).click();
  await expect(page.locator("#requests-heading ~ ul li.card").filter({ hasText: email })).toHaveCount(0);
  await expect(page.locator("#members-heading ~ ul").getByText(email)).toBeVisible();
  await signOut(page);

  await signIn(page, email, PASSWORD);
  await page.goto("/account");
  await expect(page.getByText("You are a verified member of")).toContainText("General Surgery");
});

test("a forgotten password is reset through the mailed link", async ({ page }) => {
  const email = `${unique("e2e")}@example.in`;
  await register(page, email, "Dr. Forgetful");
  await signOut(page);

  await page.goto("/login");
  await hydrated(page);
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.locator("#field-email").fill(email);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByRole("status")).toContainText("a link to reset its password is on its way");

  // The first mail to this address confirms it; the second is the reset.
  await page.goto(await mailedLink(email, "/reset-password", 2));
  await hydrated(page);
  await page.locator("#field-password").fill("my new ward passphrase");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
  await signOut(page);
  await signIn(page, email, "my new ward passphrase");
});
