import { test } from "@playwright/test";
import { questionBank } from "./question-bank";

test("without JavaScript, a mentor builds a module from their question bank: search, add, tag", async ({ page }) => {
  await questionBank(page, false);
});
