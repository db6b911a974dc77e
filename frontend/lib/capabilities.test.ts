import assert from "node:assert/strict";
import { test } from "node:test";
import {
  forgetNote,
  MAX_REMEMBERED,
  recentNotes,
  rememberedToken,
  rememberNote,
  statusPath,
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
