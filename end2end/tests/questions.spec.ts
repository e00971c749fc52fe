import { test } from "@playwright/test";
import { questionForm } from "./question-form";

test("a mentor writes a question in the form, is told what is wrong, and edits it", async ({ page }) => {
  await questionForm(page, true);
});
