import assert from "node:assert/strict";
import { test } from "node:test";
import { apiBaseUrl, contentSecurityPolicy, originOf, securityHeaders } from "../next.config";
import { API_BASE_URL } from "./config";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((directive) => {
      const [name = "", ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

test("no site may frame the app", () => {
  const policy = directives(contentSecurityPolicy("https://api.example.com", { dev: false }));
  assert.deepEqual(policy.get("frame-ancestors"), ["'none'"]);
  const headers = securityHeaders("https://api.example.com", { dev: false });
  assert.equal(headers.find((header) => header.key === "X-Frame-Options")?.value, "DENY");
});

test("the app may call its gateway and play back recordings, and nothing else", () => {
  const policy = directives(contentSecurityPolicy("https://api.example.com/base/", { dev: false }));
  assert.deepEqual(policy.get("connect-src"), ["'self'", "https://api.example.com"]);
  assert.deepEqual(policy.get("media-src"), ["'self'", "blob:"]);
  assert.deepEqual(policy.get("default-src"), ["'self'"]);
  assert.deepEqual(policy.get("object-src"), ["'none'"]);
  assert.ok(!policy.get("script-src")?.includes("'unsafe-eval'"));
});

test("only the dev server gets eval and its WebSocket", () => {
  const policy = directives(contentSecurityPolicy("http://localhost:8000", { dev: true }));
  assert.ok(policy.get("script-src")?.includes("'unsafe-eval'"));
  assert.ok(policy.get("connect-src")?.includes("ws:"));
});

test("a gateway URL that is not an http(s) URL fails the build", () => {
  assert.equal(originOf("http://127.0.0.1:8000"), "http://127.0.0.1:8000");
  for (const bad of ["", "api.example.com", "javascript:alert(1)"]) assert.throws(() => originOf(bad), bad);
});

test("the policy names the gateway the app calls", () => {
  assert.equal(originOf(apiBaseUrl), originOf(API_BASE_URL));
});
