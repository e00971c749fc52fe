import { expect, type Page } from "@playwright/test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { OUTBOX_DIR } from "../playwright.config";

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

/**
 * Gives the page an address of its own (the server runs with CORRIDOR_TRUST_PROXY in these tests,
 * so it reads the client from X-Forwarded-For): registration is limited per address and hour,
 * and the suite registers more people than one address may.
 */
export async function ownAddress(page: Page) {
  const octet = () => 1 + Math.floor(Math.random() * 250);
  await page.setExtraHTTPHeaders({ "x-forwarded-for": `10.${octet()}.${octet()}.${octet()}` });
}

/**
 * Registers `name` with an address at the demo college's domain in General Surgery and confirms
 * the address, which makes them a member of the department. Returns the address.
 */
export async function registerSurgeryMember(page: Page, name: string, prefix = "learner"): Promise<string> {
  await ownAddress(page);
  await page.goto("/register");
  await hydrated(page);
  await page.locator("#field-full_name").fill(name);
  const email = `${unique(prefix)}@demo.corridor.in`;
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill("a long enough password");
  const surgery = await page.locator("#field-department_id option", { hasText: "General Surgery" }).first().getAttribute("value");
  await page.locator("#field-department_id").selectOption(surgery!);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
  await confirmAddress(page, email);
  return email;
}

export async function registerResident(page: Page, javascript = true) {
  const email = `${unique("resident")}@example.in`;
  await ownAddress(page);
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

/** The newest link to `path` in the outbox mail for `to` (waits up to 10 s for it). */
export async function mailedLink(to: string, path: string, nth = 1): Promise<string> {
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


/** Confirms `email` by following the link in its confirmation mail. */
export async function confirmAddress(page: Page, email: string) {
  await page.goto(await mailedLink(email, "/verify-email"));
  await hydrated(page);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page.locator("main").getByRole("status")).toContainText("your address is confirmed");
}
