import type { VoiceRequest } from "@/lib/api";
import { languageName } from "@/lib/vocabulary";

/** The names and terms and the language a note was sent with, when it was sent with any. */
export function TranscriptionAsked({ request }: { request: VoiceRequest }) {
  const { vocabulary, language } = request;
  if (vocabulary.length === 0 && language === "auto") return null;
  return (
    <dl className="facts transcription-asked">
      {vocabulary.length > 0 && (
        <>
          <dt>Names and terms</dt>
          <dd>{vocabulary.join(", ")}</dd>
        </>
      )}
      {language !== "auto" && (
        <>
          <dt>Language</dt>
          <dd>{languageName(language)}</dd>
        </>
      )}
    </dl>
  );
}
