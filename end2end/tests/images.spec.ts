// Images on a case: upload, draw annotations in the browser, consent, and the server-rendered
// overlay (also with JavaScript off).
import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, MENTOR_EMAIL, fillCase, hydrated, signIn, unique } from "./helpers";

/** A 640×480 JPEG drawn on a canvas in the page (no files needed). */
async function photograph(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 480;
    const ctx = canvas.getContext("2d")!;
    const gradient = ctx.createLinearGradient(0, 0, 640, 480);
    gradient.addColorStop(0, "#111");
    gradient.addColorStop(1, "#bbb");
    ctx.fillStyle = gradient;
    ctx.fillRect(0, 0, 640, 480);
    ctx.fillStyle = "#eee";
    ctx.beginPath();
    ctx.ellipse(320, 240, 120, 160, 0, 0, Math.PI * 2);
    ctx.fill();
    return canvas.toDataURL("image/jpeg", 0.9);
  });
  return Buffer.from(dataUrl.split(",")[1], "base64");
}

/** Drags on the annotation canvas between two points given as fractions of the image. */
async function drag(page: Page, from: [number, number], to: [number, number]) {
  const box = (await page.locator("svg.overlay.editing").boundingBox())!;
  await page.mouse.move(box.x + from[0] * box.width, box.y + from[1] * box.height);
  await page.mouse.down();
  await page.mouse.move(box.x + to[0] * box.width, box.y + to[1] * box.height, { steps: 8 });
  await page.mouse.up();
}

test("a mentor uploads an image, annotates it, records consent and publishes; readers see the overlay with and without JavaScript", async ({ page, browser }) => {
  const title = unique("Annotated case");
  await signIn(page, MENTOR_EMAIL, DEMO_PASSWORD);
  await page.goto("/cases/new");
  await hydrated(page);
  await fillCase(page, title, "## Examination\n\nTracheal deviation to the right.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  const caseUrl = new URL(page.url()).pathname;

  // Upload.
  await page.getByRole("link", { name: "Images" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Images");
  await page.locator("#field-image").setInputFiles({
    name: "chest.jpg",
    mimeType: "image/jpeg",
    buffer: await photograph(page),
  });
  await page.locator("#field-alt_text").fill("Chest X-ray, PA view: left pneumothorax");
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page).toHaveURL(/\/cases\/\d+\/images\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Annotate image");
  await hydrated(page);
  const editorUrl = new URL(page.url()).pathname;

  // Draw an arrow, then a label; write a note for the arrow; save.
  await page.getByLabel("Arrow", { exact: true }).check();
  await drag(page, [0.2, 0.2], [0.45, 0.5]);
  await expect(page.locator("svg.overlay.editing .ann")).toHaveCount(1);
  await page.getByLabel("Text label", { exact: true }).check();
  await page.locator("#label-text").fill("Pneumothorax");
  const box = (await page.locator("svg.overlay.editing").boundingBox())!;
  await page.mouse.click(box.x + 0.6 * box.width, box.y + 0.75 * box.height);
  await expect(page.locator("svg.overlay.editing .ann")).toHaveCount(2);
  await page.locator("#note-0").fill("Visceral pleural line");
  await page.locator("#note-0").press("Tab");
  await expect(page.getByRole("status").filter({ hasText: "Unsaved changes" })).toBeVisible();
  await page.getByRole("button", { name: "Save annotations" }).click();
  await expect(page.locator(".save-status")).toHaveText("Saved");

  // Reload: the annotations come back from the server.
  await page.reload();
  await hydrated(page);
  await expect(page.locator("svg.overlay.editing .ann")).toHaveCount(2);
  await expect(page.locator("svg.overlay.editing text").filter({ hasText: "Pneumothorax" })).toHaveCount(1);
  await expect(page.locator("#note-0")).toHaveValue("Visceral pleural line");

  // Publishing needs the patient's consent first.
  await page.goto(caseUrl);
  await hydrated(page);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("alert")).toContainText("record the patient's consent");
  await page.getByRole("link", { name: "Record consent on the Images page" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Images");
  await hydrated(page);
  await page.getByRole("button", { name: "Record consent" }).click();
  await expect(page.locator("#field-form_reference-error")).toContainText("consent form's reference");
  await page.locator("#field-obtained").check();
  await page.locator("#field-form_reference").fill("CF-2026-114");
  await page.locator("#field-consent_date").fill("2026-11-01");
  await page.getByRole("button", { name: "Record consent" }).click();
  await expect(page.locator(".consent-on-file")).toContainText("Consent on file");
  await page.goto(caseUrl);
  await hydrated(page);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("button", { name: "Unpublish" })).toBeVisible();
  await expect(page.locator(".tag.consent")).toHaveText("✓ Consent on file");

  // Readers see the picture with the overlay and the numbered legend, and can hide it.
  const figure = page.locator(".case-figure");
  await expect(figure.locator("img")).toHaveAttribute("alt", "Chest X-ray, PA view: left pneumothorax");
  await expect(figure.locator("svg.overlay .ann")).toHaveCount(2);
  await expect(figure.locator(".legend li").first()).toContainText("Visceral pleural line");
  await expect(figure.locator("svg.overlay")).toBeVisible();
  await figure.getByLabel("Show annotations (2)").uncheck();
  await expect(figure.locator("svg.overlay")).toBeHidden();
  const loaded = await figure.locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth);
  expect(loaded).toBe(640);

  // Without JavaScript the overlay is already in the HTML.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await context.newPage();
  await signIn(noJs, MENTOR_EMAIL, DEMO_PASSWORD, false);
  await noJs.goto(caseUrl);
  const plain = noJs.locator(".case-figure");
  await expect(plain.locator("svg.overlay line")).toHaveCount(2);
  await expect(plain.locator("svg.overlay text").filter({ hasText: "Pneumothorax" })).toHaveCount(1);
  await expect(plain.locator(".legend")).toContainText("Visceral pleural line");
  await plain.getByLabel("Show annotations (2)").uncheck();
  await expect(plain.locator("svg.overlay")).toBeHidden();
  // The editor page explains that drawing needs JavaScript, and shows the saved legend.
  await noJs.goto(editorUrl);
  await expect(noJs.getByText("Drawing needs JavaScript")).toBeVisible();
  await expect(noJs.locator(".no-js-only .legend")).toContainText("Visceral pleural line");
  await context.close();
});

test("a file that is not an image is refused next to the file field, without JavaScript too", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, MENTOR_EMAIL, DEMO_PASSWORD, false);
  await page.goto("/cases/new");
  await fillCase(page, unique("Upload refusal"), "Body.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  await page.getByRole("link", { name: "Images" }).click();
  await page.locator("#field-image").setInputFiles({
    name: "report.jpg",
    mimeType: "image/jpeg",
    buffer: Buffer.from("%PDF-1.7 this is a PDF, not a photograph"),
  });
  await page.locator("#field-alt_text").fill("Discharge summary");
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.locator("#field-image-error")).toHaveText("Only JPEG, PNG or WebP images can be uploaded.");
  await expect(page.locator("#field-alt_text")).toHaveValue("Discharge summary");
  await expect(page.getByText("No images yet.")).toBeVisible();
  await context.close();
});
