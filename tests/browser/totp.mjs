// The second factor of the demo staff account in the browser scripts:
// RFC 6238 codes (HMAC-SHA-1, 6 digits, 30 s) computed with node:crypto
// from the published demo secret, as an authenticator app would.

import { createHmac } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

export const DEMO_TOTP_SECRET =
  process.env.SAMSPIL_DEMO_TOTP_SECRET ?? "SAMSPILDEMOSTAFFTOTPSECRET234567";

const STEP_SECONDS = 30;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32Decode(text) {
  const bytes = [];
  let buffer = 0;
  let bits = 0;
  for (const c of text.replace(/[\s=-]/g, "").toUpperCase()) {
    const value = ALPHABET.indexOf(c);
    if (value < 0) throw new Error(`not base32: ${c}`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

export function codeForStep(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hash = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = hash[hash.length - 1] & 0x0f;
  const binary = hash.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

const currentStep = () => Math.floor(Date.now() / 1000 / STEP_SECONDS);

// Six digits that are no code of the secret around now.
export function wrongCode(secret = DEMO_TOTP_SECRET) {
  const valid = [-2, -1, 0, 1, 2].map((d) => codeForStep(secret, currentStep() + d));
  for (let n = 123456; ; n = (n + 7919) % 1_000_000) {
    const code = String(n).padStart(6, "0");
    if (!valid.includes(code)) return code;
  }
}

// A code is good once per 30-second step and the server accepts one step
// either side of its clock. The steps this machine used against a server
// are kept in a file, so that a11y.mjs and e2e.mjs, run one after the
// other against the same demo, never offer a spent code; a third login
// within one step waits for the next.
function stateFile(base) {
  return `${tmpdir()}/samspil-totp-${new URL(base).host.replace(/[^A-Za-z0-9]/g, "_")}.json`;
}

export async function freshCode(base, secret = DEMO_TOTP_SECRET) {
  for (;;) {
    let last = -1;
    try {
      last = JSON.parse(readFileSync(stateFile(base), "utf8")).lastStep ?? -1;
    } catch {
      // No file yet: no step used.
    }
    const now = currentStep();
    const step = Math.max(now, last + 1);
    if (step <= now + 1) {
      writeFileSync(stateFile(base), JSON.stringify({ lastStep: step }));
      return codeForStep(secret, step);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

// After the password form: if samspil asks for a code, type it.
export async function completeSecondFactor(page, base) {
  if (new URL(page.url()).pathname !== "/login/kode") return;
  await page.fill("#code", await freshCode(base));
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit].button-primary")]);
}
