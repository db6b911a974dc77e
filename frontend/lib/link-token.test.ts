import assert from "node:assert/strict";
import { test } from "node:test";
import { takeLinkToken } from "./link-token";

const TOKEN = "a".repeat(40) + "_-Z";

test("the token comes from the fragment, and the fragment is cleared", () => {
  const cleared: string[] = [];
  const history = { replaceState: (_: unknown, __: string, url?: string | URL | null) => cleared.push(String(url)) };
  assert.equal(takeLinkToken({ hash: `#token=${TOKEN}` }, history), TOKEN);
  assert.deepEqual(cleared, [" "]);
});

test("a missing or malformed token is null", () => {
  assert.equal(takeLinkToken({ hash: "" }), null);
  assert.equal(takeLinkToken({ hash: "#token=short" }), null);
  assert.equal(takeLinkToken({ hash: `#other=${TOKEN}` }), null);
});
