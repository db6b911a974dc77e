import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { checkSendAt, validateSendForm, type SendFormValues } from "./send-form";

const originalZone = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalZone;
});

const now = new Date("2026-11-27T12:00:00Z");
const valid: SendFormValues = { email: "  ada@example.com ", mode: "now", localDateTime: "", hasAudio: true };

describe("send form", () => {
  test("send now: a trimmed email and no send_at", () => {
    assert.deepEqual(validateSendForm(valid, now), { ok: true, email: "ada@example.com", sendAt: undefined });
  });

  test("send at: the picked local time with the local offset", () => {
    process.env.TZ = "America/St_Johns";
    const result = validateSendForm({ ...valid, mode: "at", localDateTime: "2026-11-28T18:30" }, now);
    assert.deepEqual(result, { ok: true, email: "ada@example.com", sendAt: "2026-11-28T18:30:00-03:30" });
  });

  test("reports every problem at once, one message per field", () => {
    const result = validateSendForm({ email: "ada@", mode: "at", localDateTime: "", hasAudio: false }, now);
    assert.equal(result.ok, false);
    assert.deepEqual(Object.keys(result.ok ? {} : result.errors).sort(), ["audio", "email", "sendAt"]);
  });

  test("catches typos in the email address", () => {
    for (const email of ["", "ada", "ada@example", "ada @example.com", "@example.com"]) {
      const result = validateSendForm({ ...valid, email }, now);
      assert.ok(!result.ok && result.errors.email, email);
    }
  });
});

describe("checkSendAt", () => {
  test("accepts only valid times in the future", () => {
    process.env.TZ = "UTC";
    assert.deepEqual(checkSendAt("2026-11-27T12:01", now), { ok: true, sendAt: "2026-11-27T12:01:00+00:00" });
    const notAhead = checkSendAt("2026-11-27T12:00", now);
    assert.ok(!notAhead.ok && /future/.test(notAhead.error));
    const invalid = checkSendAt("2026-02-30T12:00", now);
    assert.ok(!invalid.ok && /not valid/.test(invalid.error));
    const empty = checkSendAt("", now);
    assert.ok(!empty.ok && /Pick a date/.test(empty.error));
  });
});
