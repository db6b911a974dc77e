import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import {
  formatOffset,
  localTimeZoneName,
  parseLocalDateTime,
  suggestSendTime,
  toIsoWithOffset,
  toLocalDateTimeValue,
} from "./time";

// Node applies a changed TZ at once, so each test can run in the zone it is about.
const originalZone = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalZone;
});

function isoFor(zone: string, localValue: string): string | null {
  process.env.TZ = zone;
  const date = parseLocalDateTime(localValue);
  return date && toIsoWithOffset(date);
}

describe("datetime-local → ISO 8601 with the local offset", () => {
  test("keeps the wall-clock time and adds the zone's offset", () => {
    assert.equal(isoFor("UTC", "2026-11-27T18:30"), "2026-11-27T18:30:00+00:00");
    assert.equal(isoFor("Europe/Berlin", "2026-11-27T18:30"), "2026-11-27T18:30:00+01:00");
    assert.equal(isoFor("Europe/Berlin", "2026-07-01T09:05:30"), "2026-07-01T09:05:30+02:00");
    assert.equal(isoFor("America/New_York", "2026-11-27T18:30"), "2026-11-27T18:30:00-05:00");
  });

  test("handles offsets that are not whole hours", () => {
    assert.equal(isoFor("Asia/Kolkata", "2026-11-27T18:30"), "2026-11-27T18:30:00+05:30");
    assert.equal(isoFor("Asia/Kathmandu", "2026-11-27T18:30"), "2026-11-27T18:30:00+05:45");
    assert.equal(isoFor("America/St_Johns", "2026-01-15T08:00"), "2026-01-15T08:00:00-03:30");
    assert.equal(isoFor("America/St_Johns", "2026-07-15T08:00"), "2026-07-15T08:00:00-02:30");
  });

  test("the string names the same instant as the picked local time", () => {
    process.env.TZ = "Australia/Adelaide";
    const date = parseLocalDateTime("2026-04-05T12:00");
    assert.ok(date);
    assert.equal(new Date(toIsoWithOffset(date)).getTime(), date.getTime());
    assert.equal(toIsoWithOffset(date), "2026-04-05T12:00:00+09:30", "the day DST ends in Adelaide");
  });

  test("a time skipped by spring-forward moves to a real instant with the right offset", () => {
    // 02:30 does not exist in New York on 8 March 2026; the clock jumps from 02:00 to 03:00.
    assert.equal(isoFor("America/New_York", "2026-03-08T02:30"), "2026-03-08T03:30:00-04:00");
  });

  test("a time repeated by fall-back still yields a consistent offset", () => {
    const iso = isoFor("America/New_York", "2026-11-01T01:30");
    assert.ok(iso === "2026-11-01T01:30:00-04:00" || iso === "2026-11-01T01:30:00-05:00", String(iso));
  });

  test("rejects malformed and impossible values", () => {
    for (const value of [
      "",
      "2026-11-27",
      "2026-11-27 18:30",
      "27/11/2026 18:30",
      "2026-02-30T10:00",
      "2026-13-01T10:00",
    ]) {
      assert.equal(parseLocalDateTime(value), null, value);
    }
  });
});

describe("offsets, picker values and defaults", () => {
  test("formats getTimezoneOffset minutes (west is positive) as ±hh:mm", () => {
    assert.equal(formatOffset(0), "+00:00");
    assert.equal(formatOffset(-330), "+05:30");
    assert.equal(formatOffset(300), "-05:00");
    assert.equal(formatOffset(210), "-03:30");
  });

  test("the picker value round-trips through parsing", () => {
    process.env.TZ = "Asia/Kathmandu";
    const date = new Date(2026, 10, 27, 18, 30);
    assert.equal(toLocalDateTimeValue(date), "2026-11-27T18:30");
    assert.equal(parseLocalDateTime(toLocalDateTimeValue(date))?.getTime(), date.getTime());
  });

  test("suggests at least an hour ahead, on a quarter hour", () => {
    const now = new Date("2026-11-27T10:07:12Z");
    assert.equal(suggestSendTime(now).toISOString(), "2026-11-27T11:15:00.000Z");
    assert.equal(suggestSendTime(new Date("2026-11-27T10:00:00Z")).toISOString(), "2026-11-27T11:00:00.000Z");
  });

  test("names the zone", () => {
    process.env.TZ = "America/St_Johns";
    assert.equal(localTimeZoneName(), "America/St_Johns");
  });
});
