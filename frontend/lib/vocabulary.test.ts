import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { languageName, parseVocabulary } from "./vocabulary";

describe("names and terms", () => {
  test("split at commas and lines, trimmed, blank ones and repeats dropped, in order", () => {
    assert.deepEqual(parseVocabulary(" ComfyUI, Ana   Lopez\n\ncomfyui ,\r\nKubernetes,"), {
      ok: true,
      terms: ["ComfyUI", "Ana Lopez", "Kubernetes"],
    });
    assert.deepEqual(parseVocabulary("   "), { ok: true, terms: [] });
  });

  test("a term over the limit is refused, naming it", () => {
    const result = parseVocabulary(`ok, ${"x".repeat(51)}`);
    assert.equal(result.ok, false);
    assert.match(result.ok ? "" : result.error, /longer than 50 characters/);
    assert.deepEqual(parseVocabulary("x".repeat(50)), { ok: true, terms: ["x".repeat(50)] });
  });

  test("more terms than allowed are refused; repeats do not count", () => {
    const many = Array.from({ length: 51 }, (_, n) => `term ${n}`).join(",");
    assert.equal(parseVocabulary(many).ok, false);
    assert.equal(parseVocabulary(`${"same,".repeat(80)}other`).ok, true);
    assert.equal(parseVocabulary("a, b, c", { max_terms: 2, max_term_chars: 50 }).ok, false);
  });

  test("a control character is refused", () => {
    assert.equal(parseVocabulary("bell\u0007").ok, false);
  });

  test("language codes get their names", () => {
    assert.equal(languageName("en"), "English");
    assert.equal(languageName("de"), "German");
  });
});
