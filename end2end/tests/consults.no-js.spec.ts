// Consults with JavaScript off: every step is a plain form.
import { test } from "@playwright/test";
import { consultFlow } from "./consult-flow";

test("without JavaScript, a GP's consult with an ECG goes to a cardiologist, is answered, closed and becomes a teaching case", async ({ browser }) => {
  await consultFlow(browser, false);
});
