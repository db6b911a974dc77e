import assert from "node:assert/strict";
import { test } from "node:test";
import {
  deleteAsked,
  forgetNote,
  MAX_REMEMBERED,
  recentNotes,
  rememberedToken,
  rememberNote,
  statusPath,
  takeLinkToken,
  tokenFromFragment,
} from "./capabilities";

const TOKEN = "A".repeat(40) + "b-_";

/** An in-memory Storage, as a browser's localStorage behaves. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

test("the status link carries the token in its fragment, and only a token-shaped one is read", () => {
  const path = statusPath("id-1", TOKEN);
  assert.equal(path, `/requests/id-1#token=${TOKEN}`);
  assert.equal(tokenFromFragment(path.slice(path.indexOf("#"))), TOKEN);
  for (const hash of ["", "#", "#token=", "#token=short", `#other=${TOKEN}`, `#token=${TOKEN}x`])
    assert.equal(tokenFromFragment(hash), null, hash);
});

test("notes are remembered newest first, once each, and forgotten on demand", () => {
  const storage = memoryStorage();
  rememberNote({ id: "a", token: TOKEN, email: "a@example.com", createdAt: "2026-11-30T10:00:00Z" }, storage);
  rememberNote({ id: "b", token: TOKEN, email: "b@example.com", createdAt: "2026-11-30T11:00:00Z" }, storage);
  rememberNote({ id: "a", token: TOKEN, email: "a@example.com", createdAt: "2026-11-30T12:00:00Z" }, storage);
  assert.deepEqual(
    recentNotes(storage).map((note) => note.id),
    ["a", "b"],
  );
  assert.equal(rememberedToken("b", storage), TOKEN);
  forgetNote("b", storage);
  assert.equal(rememberedToken("b", storage), null);
});

test("storage is bounded, and garbage in it counts as no notes", () => {
  const storage = memoryStorage();
  for (let index = 0; index < MAX_REMEMBERED + 5; index++)
    rememberNote({ id: `n${index}`, token: TOKEN, email: "x@example.com", createdAt: "" }, storage);
  assert.equal(recentNotes(storage).length, MAX_REMEMBERED);
  storage.setItem("voice-notes:capabilities", "{not json");
  assert.deepEqual(recentNotes(storage), []);
  storage.setItem("voice-notes:capabilities", JSON.stringify([{ id: 1 }, "x"]));
  assert.deepEqual(recentNotes(storage), []);
});

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

test("the summary email's delete link asks for the delete confirmation", () => {
  assert.equal(tokenFromFragment(`#token=${TOKEN}&action=delete`), TOKEN);
  assert.equal(deleteAsked(`#token=${TOKEN}&action=delete`), true);
  assert.equal(deleteAsked(`#token=${TOKEN}`), false);
  assert.equal(deleteAsked(""), false);
});
