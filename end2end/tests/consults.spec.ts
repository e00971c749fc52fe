// Consults with JavaScript on (the same flow runs without it in consults.no-js.spec.ts).
import { test } from "@playwright/test";
import { consultFlow } from "./consult-flow";

test("a GP's consult with an ECG goes to a cardiologist, is answered, closed and becomes a teaching case", async ({ browser }) => {
  await consultFlow(browser, true);
});
