import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "corridor-demo";
export const MENTOR_EMAIL = "meera.kulkarni@demo.corridor.in";
export const MENTOR_NAME = "Dr. Meera Kulkarni";

export function unique(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}

/** Waits until the WASM bundle has hydrated the page (it marks <html class="hydrated">). */
export async function hydrated(page: Page, javascript = true) {
  if (javascript) await expect(page.locator("html.hydrated")).toHaveCount(1);
}

export async function signIn(page: Page, email: string, password: string, javascript = true) {
  await page.goto("/login");
  await hydrated(page, javascript);
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
}

export async function registerResident(page: Page, javascript = true) {
  const email = `${unique("resident")}@example.in`;
  await page.goto("/register");
  await hydrated(page, javascript);
  await page.locator("#field-full_name").fill("Dr. Test Resident");
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill("a long enough password");
  await page.locator("#field-specialty").selectOption("general-surgery");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome, Dr. Test Resident");
  return email;
}

/** Fills the case editor (already open). */
export async function fillCase(page: Page, title: string, body: string) {
  await page.locator("#field-title").fill(title);
  await page.locator("#field-specialty").selectOption("general-surgery");
  await page.locator("#field-summary").fill("A teaching case written by the end-to-end tests.");
  await page.locator("#field-body").fill(body);
}
