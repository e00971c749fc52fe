// Signed Open Badges checked outside Corridor: panva/jose (an independent JOSE implementation)
// verifies a certificate's VC-JWT against the published JWK Set, refuses it once its payload
// is altered, and reads revocation from the signed Bitstring Status List (gunzipped with
// Node's zlib): the revoked certificate's bit is 1, a valid one's 0.
import { expect, test, type Browser } from "@playwright/test";
import { createRemoteJWKSet, errors, importJWK, jwtVerify, type JWTPayload } from "jose";
import { gunzipSync } from "node:zlib";
import { DEMO_PASSWORD, hydrated, registerSurgeryMember, signIn, unique } from "./helpers";

/** A new member of General Surgery passes the demo jaundice module and evaluates it; returns
 *  the certificate's id. */
async function earnCertificate(browser: Browser, name: string): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await registerSurgeryMember(page, name, "badge");

  await page.goto("/search?q=Courvoisier");
  await page.getByRole("link", { name: "Painless jaundice with a palpable gallbladder" }).click();
  await page.getByRole("link", { name: "Take the case module" }).click();
  await page.getByRole("button", { name: /Start|Resume/ }).click();
  await expect(page).toHaveURL(/\/quiz\/attempts\/\d+\/1$/);
  await hydrated(page);
  const save = async () => {
    await page.getByRole("button", { name: "Save answer" }).click();
    await expect(page.locator(".review")).toContainText("Correct");
  };
  const next = async (n: number) => {
    await page.getByRole("link", { name: "Next →" }).click();
    await expect(page).toHaveURL(new RegExp(`/quiz/attempts/\\d+/${n}$`));
  };
  await page.getByLabel("Carcinoma of the head of the pancreas").check();
  await save();
  await next(2);
  await page.getByLabel("Contrast-enhanced CT of the pancreas").check();
  await page.getByLabel("Serum CA 19-9").check();
  await save();
  await next(3);
  await page.getByLabel("False").check();
  await save();
  await next(4);
  await page.locator("#answer-text").fill("Courvoisier's sign");
  await save();
  await page.getByRole("button", { name: "Submit attempt" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Passed");

  await hydrated(page);
  await page.locator("#relevance-5").check();
  await page.locator("#quality-4").check();
  await page.locator("#field-practice_change").selectOption("will_change");
  await page.getByRole("button", { name: "Send evaluation" }).click();
  const download = page.getByRole("link", { name: "Download certificate (PDF)" });
  await expect(download).toBeVisible();
  const id = (await download.getAttribute("href"))!.split("/")[2];
  await context.close();
  return id;
}

type Credential = JWTPayload & {
  type: string[];
  issuer: { id: string; name: string };
  credentialSubject: { name: string };
  credentialStatus: { type: string; statusPurpose: string; statusListIndex: string; statusListCredential: string };
};

test("a signed badge verifies with an independent JOSE library, fails once altered, and its revocation is in the signed status list", async ({ browser, request, baseURL }) => {
  test.setTimeout(180_000);
  const revokedName = unique("Dr. Revoked Learner");
  const keptName = unique("Dr. Kept Learner");
  const revoked = await earnCertificate(browser, revokedName);
  const kept = await earnCertificate(browser, keptName);

  // The department admin revokes one certificate, as on any day.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, "sunil.patil@demo.corridor.in", DEMO_PASSWORD);
  await admin.goto("/department");
  await hydrated(admin);
  const form = admin.locator("form", { has: admin.getByRole("button", { name: "Revoke" }) });
  await form.getByLabel("Certificate id").fill(revoked);
  await form.getByLabel("Reason").fill("Awarded in error");
  await form.getByRole("button", { name: "Revoke" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Certificate revoked" })).toBeVisible();
  await adminContext.close();

  // The verification page links the signed credential and the issuer.
  const anonymousContext = await browser.newContext();
  const anonymous = await anonymousContext.newPage();
  await anonymous.goto(`/verify/${kept}`);
  await expect(anonymous.getByRole("status")).toHaveText("Valid certificate");
  await expect(anonymous.getByRole("link", { name: "Signed credential (Open Badges 3.0, VC-JWT)" })).toHaveAttribute("href", `/certificates/${kept}/badge.jwt`);
  await expect(anonymous.getByRole("link", { name: "Issuer profile and public keys" })).toHaveAttribute("href", "/issuer");
  await anonymousContext.close();

  // jose fetches the JWK Set itself and verifies the badge.
  const jwks = createRemoteJWKSet(new URL("/issuer/jwks.json", baseURL));
  const badge = await request.get(`/certificates/${kept}/badge.jwt`);
  expect(badge.status()).toBe(200);
  expect(badge.headers()["content-type"]).toBe("application/vc+jwt");
  const token = await badge.text();
  const { payload, protectedHeader } = await jwtVerify(token, jwks, { algorithms: ["EdDSA"], typ: "vc+jwt" });
  const credential = payload as Credential;
  expect(credential.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
  expect(credential.credentialSubject.name).toBe(keptName);
  expect(credential.issuer.id).toBe(`${baseURL}/issuer`);

  // The issuer profile names the same key; imported from there, it verifies too.
  const profile = await (await request.get("/issuer")).json();
  const method = profile.verificationMethod.find((m: { id: string }) => m.id === protectedHeader.kid);
  expect(method.type).toBe("JsonWebKey");
  expect(method.publicKeyJwk.d).toBeUndefined();
  await jwtVerify(token, await importJWK(method.publicKeyJwk, "EdDSA"));

  // The same token with its payload altered (the original signature kept) fails.
  const [header, body, signature] = token.split(".");
  const altered = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  altered.credentialSubject.name = "Dr. Someone Else";
  const forged = `${header}.${Buffer.from(JSON.stringify(altered)).toString("base64url")}.${signature}`;
  await expect(jwtVerify(forged, jwks)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);

  // The revoked certificate's credential is still signed; the status list says it is revoked.
  const revokedToken = await (await request.get(`/certificates/${revoked}/badge.jwt`)).text();
  const revokedCredential = (await jwtVerify(revokedToken, jwks)).payload as Credential;
  const entry = revokedCredential.credentialStatus;
  expect(entry.type).toBe("BitstringStatusListEntry");
  expect(entry.statusPurpose).toBe("revocation");
  expect(entry.statusListCredential).toBe(credential.credentialStatus.statusListCredential);
  const listJwt = await (await request.get(entry.statusListCredential)).text();
  const list = (await jwtVerify(listJwt, jwks, { typ: "vc+jwt" })).payload as JWTPayload & {
    type: string[];
    credentialSubject: { type: string; statusPurpose: string; encodedList: string };
  };
  expect(list.type).toContain("BitstringStatusListCredential");
  expect(list.credentialSubject.type).toBe("BitstringStatusList");
  expect(list.credentialSubject.statusPurpose).toBe("revocation");
  const encoded = list.credentialSubject.encodedList;
  expect(encoded.startsWith("u")).toBe(true);
  const bits = gunzipSync(Buffer.from(encoded.slice(1), "base64url"));
  expect(bits.length).toBeGreaterThanOrEqual(16_384);
  // Index 0 is the left-most bit of the first byte.
  const bit = (index: number) => (bits[index >> 3] >> (7 - (index & 7))) & 1;
  expect(bit(Number(entry.statusListIndex))).toBe(1);
  expect(bit(Number(credential.credentialStatus.statusListIndex))).toBe(0);
});
