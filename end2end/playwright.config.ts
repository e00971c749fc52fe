import { defineConfig } from "@playwright/test";
import { tmpdir } from "node:os";

// Debian's Chromium, never a downloaded browser; the real release server with demo data, on a
// database of its own (E2E_DATABASE_URL, created by .ci/test).
// E2E_PORT lets two checkouts run their suites side by side.
const port = Number(process.env.E2E_PORT ?? 3100);
/** Where the server writes mail (no SMTP server is configured): the tests follow its links. */
export const OUTBOX_DIR = `${tmpdir()}/corridor-e2e-outbox-${port}`;
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: { executablePath: "/usr/bin/chromium", args: chromiumArgs },
    viewport: { width: 360, height: 760 },
    trace: "off",
  },
  projects: [
    { name: "javascript-on", testIgnore: /no-js/ },
    { name: "javascript-off", testMatch: /no-js/, use: { javaScriptEnabled: false } },
  ],
  webServer: {
    command: "../target/release/server",
    url: `http://127.0.0.1:${port}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL ?? "",
      CORRIDOR_LISTEN: `127.0.0.1:${port}`,
      CORRIDOR_DEMO_DATA: "true",
      // Each registering test gives its page an address of its own (helpers.ownAddress): the
      // suite registers more people than one address may in an hour.
      CORRIDOR_TRUST_PROXY: "true",
      LEPTOS_SITE_ROOT: "../target/site",
      // Uploaded images of the test run, away from any real data.
      CORRIDOR_MEDIA_DIR: `${tmpdir()}/corridor-e2e-media-${port}`,
      CORRIDOR_OUTBOX_DIR: OUTBOX_DIR,
      CORRIDOR_PUBLIC_URL: `http://127.0.0.1:${port}`,
      RUST_LOG: "warn",
    },
  },
});
