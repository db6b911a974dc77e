import assert from "node:assert/strict";
import { test } from "node:test";
import { levelFromSamples, smoothLevel } from "./level";

const constant = (value: number, length = 1024) => new Float32Array(length).fill(value);

test("silence and no samples read as zero", () => {
  assert.equal(levelFromSamples(constant(0)), 0);
  assert.equal(levelFromSamples([]), 0);
});

test("full scale fills the meter; -30 dBFS fills half; below -60 dBFS is nothing", () => {
  assert.equal(levelFromSamples(constant(1)), 1);
  assert.equal(levelFromSamples(constant(-1)), 1);
  assert.ok(Math.abs(levelFromSamples(constant(10 ** (-30 / 20))) - 0.5) < 1e-6);
  assert.equal(levelFromSamples(constant(10 ** (-70 / 20))), 0);
});

test("louder is always higher", () => {
  const levels = [0.001, 0.01, 0.1, 0.5].map((amplitude) => levelFromSamples(constant(amplitude)));
  assert.deepEqual(
    [...levels].sort((a, b) => a - b),
    levels,
  );
});

test("the meter jumps up at once and falls back gently", () => {
  assert.equal(smoothLevel(0.2, 0.9), 0.9);
  assert.ok(Math.abs(smoothLevel(0.9, 0) - 0.86) < 1e-9);
  assert.equal(smoothLevel(0.01, 0), 0, "never below the current level");
});
