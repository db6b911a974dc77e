import assert from "node:assert/strict";
import { test } from "node:test";
import { positiveSecondsOr } from "./config";

test("a maximum recording length must be a positive number of seconds", () => {
  assert.equal(positiveSecondsOr("90", 600), 90);
  assert.equal(positiveSecondsOr("12.5", 600), 12.5);
  for (const value of [undefined, "", " ", "ten", "0", "-5", "Infinity"])
    assert.equal(positiveSecondsOr(value, 600), 600, value);
});
