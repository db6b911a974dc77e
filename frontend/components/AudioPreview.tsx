"use client";

import { useCallback } from "react";

interface AudioPreviewProps {
  blob: Blob;
  label: string;
}

/** Plays back a recording or chosen file before it is sent. */
export function AudioPreview({ blob, label }: AudioPreviewProps) {
  // A callback ref with a cleanup (React 19) ties the object URL's lifetime
  // to the element: created on mount or blob change, revoked on unmount, so
  // no URL leaks and StrictMode's double mount cannot revoke a URL in use.
  const attachBlob = useCallback(
    (audio: HTMLAudioElement | null) => {
      if (!audio) return;
      const url = URL.createObjectURL(blob);
      audio.src = url;
      return () => URL.revokeObjectURL(url);
    },
    [blob],
  );

  return <audio ref={attachBlob} className="audio-preview" controls preload="metadata" aria-label={label} />;
}
