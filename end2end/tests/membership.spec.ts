import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, mailedLink, signIn, unique, ownAddress } from "./helpers";

const SURGERY = "Sahyadri Medical College & Hospital — General Surgery";
const PASSWORD = "a long enough password";

async function register(page: Page, email: string, name: string, department?: string) {
  await ownAddress(page);
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
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" })).toBeVisible();
}

test("an address at the hospital's domain joins its department after confirming it", async ({ page }) => {
  const email = `${unique("e2e")}@demo.corridor.in`;
  await register(page, email, "Dr. Domain Joiner", SURGERY);
  await expect(page.getByRole("complementary", { name: "Your account" })).toContainText("confirm your e-mail");
  await page.goto("/account");
  await expect(page.getByText("waits for its admin")).toBeVisible();

  await page.goto(await mailedLink(email, "/verify-email"));
  await hydrated(page);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page.locator("main").getByRole("status")).toContainText("you are now a member of");
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
  await expect(page.locator("main").getByRole("status")).toContainText("waits for the department's admin");
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
  await expect(page.locator("main").getByRole("status")).toContainText("a link to reset its password is on its way");

  // The first mail to this address confirms it; the second is the reset.
  await page.goto(await mailedLink(email, "/reset-password", 2));
  await hydrated(page);
  await page.locator("#field-password").fill("my new ward passphrase");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
  await signOut(page);
  await signIn(page, email, "my new ward passphrase");
});
