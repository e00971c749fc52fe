// A mentor brings questions from Moodle into a module (a question-bank file, then pasted XML),
// is told which line of a broken file is wrong and which types were skipped, and downloads the
// module as Moodle XML. Shared by the JavaScript on and off specs.
import { expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD, MENTOR_EMAIL, fillCase, hydrated, signIn, unique } from "./helpers";

const BANK = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Cardiology</text></category></question>
  <question type="multichoice">
    <name><text>Peaked T</text></name>
    <questiontext format="html"><text><![CDATA[<p>Peaked T waves&nbsp;mean?</p>]]></text></questiontext>
    <single>true</single>
    <answer fraction="100" format="html"><text>Hyperkalaemia</text><feedback format="html"><text>Yes.</text></feedback></answer>
    <answer fraction="0" format="html"><text>Hypokalaemia</text><feedback format="html"><text>U waves.</text></feedback></answer>
  </question>
  <question type="shortanswer">
    <name><text>Rhythm</text></name>
    <questiontext format="html"><text>Name the broad-complex tachycardia.</text></questiontext>
    <answer fraction="100"><text>Ventricular tachycardia</text></answer>
    <answer fraction="100"><text>VT</text></answer>
  </question>
  <question type="essay">
    <name><text>Plan</text></name>
    <questiontext format="html"><text>Describe your plan.</text></questiontext>
  </question>
</quiz>
`;

const BROKEN = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>Unclosed</name>
  </question>
</quiz>
`;

const PASTED = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>Calcium</text></name>
    <questiontext format="moodle_auto_format"><text>Calcium gluconate lowers the serum potassium.</text></questiontext>
    <answer fraction="0"><text>true</text><feedback><text>It protects the heart only.</text></feedback></answer>
    <answer fraction="100"><text>false</text><feedback><text>Right.</text></feedback></answer>
  </question>
</quiz>
`;

function file(name: string, text: string) {
  return { name, mimeType: "application/xml", buffer: Buffer.from(text) };
}

export async function moodleFiles(page: Page, javascript: boolean) {
  await signIn(page, MENTOR_EMAIL, DEMO_PASSWORD, javascript);
  await page.goto("/cases/new");
  await fillCase(page, unique("Hyperkalaemia from Moodle"), "Peaked T waves on a routine ECG.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  const caseUrl = new URL(page.url()).pathname;

  await page.goto(`${caseUrl}/quiz/edit`);
  await hydrated(page, javascript);
  // A broken file: nothing imported, the line beside the file field.
  await page.locator("#field-file").setInputFiles(file("broken.xml", BROKEN));
  await page.getByRole("button", { name: "Import file" }).click();
  await expect(page.locator("#field-file-error")).toContainText("Line 4: The XML is not well formed");
  await expect(page.getByRole("heading", { name: "Questions (0)" })).toBeVisible();

  // The bank: two questions come in, the essay is named as skipped.
  await page.locator("#field-file").setInputFiles(file("bank.xml", BANK));
  await page.getByRole("button", { name: "Import file" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Questions imported." })).toContainText(
    "“Plan”: Essay questions are not supported",
  );
  await expect(page.getByRole("heading", { name: "Questions (2)" })).toBeVisible();
  await expect(page.locator("main")).toContainText("Peaked T waves mean?");
  await expect(page.locator("main")).toContainText("Hyperkalaemia (100 %)");

  // Moodle XML pasted into the text box works too.
  await hydrated(page, javascript);
  await page.locator("#field-gift").fill(PASTED);
  await page.getByRole("button", { name: "Import questions" }).click();
  await expect(page.getByRole("heading", { name: "Questions (3)" })).toBeVisible();
  await expect(page.locator("main")).toContainText("Calcium gluconate lowers the serum potassium.");

  // The module as a Moodle XML file.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download as Moodle XML" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^corridor-case-\d+-questions\.xml$/);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const xml = Buffer.concat(chunks).toString("utf8");
  expect(xml).toContain('<question type="multichoice">');
  expect(xml).toContain('<question type="shortanswer">');
  expect(xml).toContain('<question type="truefalse">');
  expect(xml).toContain("<text>Peaked T</text>");
}
