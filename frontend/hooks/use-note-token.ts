/**
 * The capability of the note a status page shows: from the URL fragment (`#token=…`, which the
 * browser never sends to a server), else from this browser's remembered notes. `undefined`
 * until the browser has been asked (the first render happens on the server), then the token or
 * null when this browser has none.
 */
import { useEffect, useState } from "react";
import { rememberedToken, tokenFromFragment } from "@/lib/capabilities";

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
