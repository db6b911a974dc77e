/**
 * The "names and terms" field: what a person types (one per line, or separated by commas)
 * as the `vocabulary` the API takes, checked by the API's own rules first so that a mistake
 * is shown at the field, before anything is uploaded. The gateway checks them again.
 */

/** The API's limits (GET /v1/config says them too). */
export interface VocabularyLimits {
  max_terms: number;
  max_term_chars: number;
}

export const DEFAULT_VOCABULARY_LIMITS: VocabularyLimits = { max_terms: 50, max_term_chars: 50 };

export type VocabularyResult = { ok: true; terms: string[] } | { ok: false; error: string };

// C0 controls, DEL and C1 controls: what the API refuses in a term. Line breaks and tabs
// never reach it: they separate terms here.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Terms split at commas and line breaks, trimmed, blank ones and repeats (ignoring case) dropped. */
export function parseVocabulary(text: string, limits: VocabularyLimits = DEFAULT_VOCABULARY_LIMITS): VocabularyResult {
  const terms: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/[,\n\r]/)) {
    const term = raw.replace(/\s+/gu, " ").trim();
    if (term === "") continue;
    if (CONTROL.test(term)) return { ok: false, error: `“${term}” contains a character that cannot be typed.` };
    if ([...term].length > limits.max_term_chars)
      return { ok: false, error: `“${term.slice(0, 20)}…” is longer than ${limits.max_term_chars} characters.` };
    const key = term.toLocaleLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(term);
  }
  if (terms.length > limits.max_terms)
    return { ok: false, error: `At most ${limits.max_terms} names and terms (you gave ${terms.length}).` };
  return { ok: true, terms };
}

/** "de" → "German", in the page's language; the code itself if the browser has no name for it. */
export function languageName(code: string, locale = "en"): string {
  try {
    return new Intl.DisplayNames([locale], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}
