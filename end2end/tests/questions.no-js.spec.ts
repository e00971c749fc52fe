import { test } from "@playwright/test";
import { questionForm } from "./question-form";

test("without JavaScript, a mentor writes a question in the form, is told what is wrong, and edits it", async ({ page }) => {
  await questionForm(page, false);
});
