import { test } from "@playwright/test";
import { moodleFiles } from "./moodle-files";

test("without JavaScript, a mentor imports a Moodle XML question bank as a file and pasted, and downloads the module as Moodle XML", async ({ page }) => {
  await moodleFiles(page, false);
});
