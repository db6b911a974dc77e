/**
 * The capability of the note a status page shows: from the URL fragment (`#token=…`, which the
 * browser never sends to a server), else from this browser's remembered notes. `undefined`
 * until the browser has been asked (the first render happens on the server), then the token or
 * null when this browser has none.
 */
import { useEffect, useState, useSyncExternalStore } from "react";
import { deleteAsked, rememberedToken, tokenFromFragment } from "@/lib/capabilities";

export function useNoteToken(id: string): string | null | undefined {
  const [token, setToken] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const read = () => setToken(tokenFromFragment(window.location.hash) ?? rememberedToken(id));
    read();
    window.addEventListener("hashchange", read);
    return () => window.removeEventListener("hashchange", read);
  }, [id]);
  return token;
}

function subscribeToHash(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

/** Whether the page was opened by the summary email's "Delete this note" link
 * (`#token=…&action=delete`); false on the server. */
export function useDeleteAsked(): boolean {
  return useSyncExternalStore(
    subscribeToHash,
    () => deleteAsked(window.location.hash),
    () => false,
  );
}
