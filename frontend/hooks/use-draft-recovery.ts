/**
 * Recordings an earlier visit left behind (a reload, a crashed or killed tab), found once when
 * the page opens, each to recover or to discard (lib/recording-drafts.ts keeps them).
 */
import { useCallback, useEffect, useState } from "react";
import type { Recording } from "@/lib/recorder";
import { deleteDraft, listDrafts, recoverDraft, type DraftFacts } from "@/lib/recording-drafts";

export interface DraftRecovery {
  drafts: DraftFacts[];
  /** The draft as a recording ready to send, or null if it is gone (another tab took it). */
  recover: (id: string) => Promise<Recording | null>;
  discard: (id: string) => Promise<void>;
}

export function useDraftRecovery(): DraftRecovery {
  const [drafts, setDrafts] = useState<DraftFacts[]>([]);

  useEffect(() => {
    let current = true;
    void listDrafts().then((found) => current && setDrafts(found));
    return () => {
      current = false;
    };
  }, []);

  const drop = (id: string) => setDrafts((shown) => shown.filter((draft) => draft.id !== id));

  const recover = useCallback(async (id: string): Promise<Recording | null> => {
    const recovered = await recoverDraft(id);
    drop(id);
    if (!recovered) return null;
    const { facts, blob, durationMs } = recovered;
    return { blob, fileName: facts.fileName, source: "microphone", durationMs, draftId: id, recovered: true };
  }, []);

  const discard = useCallback(async (id: string) => {
    drop(id);
    await deleteDraft(id);
  }, []);

  return { drafts, recover, discard };
}
