/**
 * Recordings kept in IndexedDB (through idb-keyval) from their first second until they are
 * sent or discarded, so a reload, a crashed tab or a phone that killed the browser loses at
 * most the last second: the next visit offers to recover them.
 *
 * Keys: `["draft", id]` holds a draft's facts, `["chunk", id, seq]` each piece MediaRecorder
 * handed over (as an ArrayBuffer: older Safari fails to store Blobs). A draft is "held" by the
 * tab that records or shows it, through a Web Lock named after it; the browser lets go of the
 * lock when that tab goes away, however it goes, so only drafts that no open tab holds are
 * offered. Storage is best effort: if IndexedDB is missing or full, recording goes on without
 * this safety net.
 */
import { createStore, getMany, keys, promisifyRequest, set, type UseStore } from "idb-keyval";

export interface DraftFacts {
  id: string;
  mimeType: string;
  fileName: string;
  startedAt: number;
  /** Time of the latest chunk stored: startedAt plus about the length recorded. */
  lastChunkAt: number;
  /** Set once the recording was stopped on purpose; unset for one cut short by a crash. */
  stoppedAt: number | null;
}

export interface RecoveredDraft {
  facts: DraftFacts;
  blob: Blob;
  durationMs: number;
}

type DraftKey = ["draft", string];
type ChunkKey = ["chunk", string, number];

let store: UseStore | null | undefined;

/** The object store, or null where the browser has no IndexedDB (the safety net is off). */
function draftStore(): UseStore | null {
  if (store === undefined) store = typeof indexedDB === "undefined" ? null : createStore("voice-notes", "drafts");
  return store;
}

const lockName = (id: string) => `voice-notes-draft:${id}`;
const releases = new Map<string, () => void>();

/** Holds the draft's lock for as long as this tab lives, or until `releaseDraft`. */
async function hold(id: string): Promise<boolean> {
  if (releases.has(id)) return true;
  if (!navigator.locks) return true; // No Web Locks (Safari < 15.4): every draft counts as free.
  return new Promise((resolve) => {
    void navigator.locks.request(lockName(id), { ifAvailable: true }, (lock) => {
      if (!lock) return resolve(false);
      resolve(true);
      return new Promise<void>((release) => releases.set(id, release));
    });
  });
}

function releaseDraft(id: string): void {
  releases.get(id)?.();
  releases.delete(id);
}

/** Best effort: a storage failure must never stop a recording. */
async function quietly<T>(what: string, work: (store: UseStore) => Promise<T>): Promise<T | null> {
  const db = draftStore();
  if (db === null) return null;
  try {
    return await work(db);
  } catch (error) {
    console.warn(`recording drafts: could not ${what}`, error);
    return null;
  }
}

/** Every chunk key of draft `id`: arrays compare item by item and a shorter prefix comes
 * first, and an array sorts after any number, so this range holds exactly its chunks, in order. */
const chunksOf = (id: string) => IDBKeyRange.bound(["chunk", id], ["chunk", id, []]);

/** Starts keeping a new recording; its id, or null when nothing can be kept. */
export async function startDraft(mimeType: string, fileName: string, startedAt: number): Promise<string | null> {
  const id = crypto.randomUUID();
  await hold(id);
  const facts: DraftFacts = { id, mimeType, fileName, startedAt, lastChunkAt: startedAt, stoppedAt: null };
  const kept = await quietly("start a draft", (db) => set(["draft", id] satisfies DraftKey, facts, db));
  return kept === null ? null : id;
}

/**
 * Changes a draft's facts (and writes `chunk` beside them) in one transaction, so that a write
 * finishing after the draft was deleted does not bring it back.
 */
function updateDraft(
  db: UseStore,
  id: string,
  change: (facts: DraftFacts) => DraftFacts,
  chunk?: [ChunkKey, ArrayBuffer],
): Promise<void> {
  return db("readwrite", async (objects) => {
    const key: DraftKey = ["draft", id];
    const facts = (await promisifyRequest(objects.get(key))) as DraftFacts | undefined;
    if (!facts) return; // Sent or discarded meanwhile.
    if (chunk) objects.put(chunk[1], chunk[0]);
    objects.put(change(facts), key);
    await promisifyRequest(objects.transaction);
  });
}

/** Stores chunk number `seq` (they arrive in order, but their writes may finish in any). */
export async function appendChunk(id: string, seq: number, chunk: Blob, at: number): Promise<void> {
  const data = await chunk.arrayBuffer();
  await quietly("store a chunk", (db) =>
    updateDraft(db, id, (facts) => ({ ...facts, lastChunkAt: Math.max(facts.lastChunkAt, at) }), [
      ["chunk", id, seq],
      data,
    ]),
  );
}

/** Notes that the recording was stopped on purpose, `at` this time. */
export async function finishDraft(id: string, at: number): Promise<void> {
  await quietly("finish a draft", (db) => updateDraft(db, id, (facts) => ({ ...facts, stoppedAt: at })));
}

function isFree(id: string, held: Set<string>): boolean {
  return !releases.has(id) && !held.has(lockName(id));
}

/** Drafts no open tab holds, newest first. Those without a single chunk (a reload in the
 * first second) are deleted instead: there is nothing to recover. */
export async function listDrafts(): Promise<DraftFacts[]> {
  const held = new Set((await navigator.locks?.query())?.held?.map((lock) => lock.name ?? "") ?? []);
  const found = await quietly("list drafts", async (db) => {
    const all = await keys<DraftKey | ChunkKey>(db);
    const withChunks = new Set(all.filter((key) => key[0] === "chunk").map((key) => key[1]));
    const free = all.filter((key): key is DraftKey => key[0] === "draft" && isFree(key[1], held));
    for (const [, id] of free.filter(([, id]) => !withChunks.has(id))) await deleteDraft(id);
    return getMany<DraftFacts>(
      free.filter(([, id]) => withChunks.has(id)),
      db,
    );
  });
  return (found ?? [])
    .filter((facts): facts is DraftFacts => facts !== undefined)
    .sort((a, b) => b.startedAt - a.startedAt);
}

/** Takes a draft over in this tab and joins its chunks into one recording; null if it is gone
 * or another tab took it first. */
export async function recoverDraft(id: string): Promise<RecoveredDraft | null> {
  if (!(await hold(id))) return null;
  const recovered = await quietly("recover a draft", (db) =>
    db("readonly", async (objects) => {
      const facts = (await promisifyRequest(objects.get(["draft", id] satisfies DraftKey))) as DraftFacts | undefined;
      if (!facts) return null;
      const chunks = (await promisifyRequest(objects.getAll(chunksOf(id)))) as ArrayBuffer[];
      const blob = new Blob(chunks, { type: facts.mimeType });
      const durationMs = Math.max(0, (facts.stoppedAt ?? facts.lastChunkAt) - facts.startedAt);
      return { facts, blob, durationMs };
    }),
  );
  if (recovered === null) releaseDraft(id);
  return recovered;
}

/** Forgets a draft, its facts and every chunk at once: sent, or discarded by the person. */
export async function deleteDraft(id: string): Promise<void> {
  await quietly("delete a draft", (db) =>
    db("readwrite", (objects) => {
      objects.delete(["draft", id] satisfies DraftKey);
      objects.delete(chunksOf(id));
      return promisifyRequest(objects.transaction);
    }),
  );
  releaseDraft(id);
}
