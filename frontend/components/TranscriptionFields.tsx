"use client";

import type { DeploymentConfig } from "@/lib/api";
import { languageName } from "@/lib/vocabulary";

interface Props {
  config: DeploymentConfig | null;
  vocabulary: string;
  onVocabularyChange: (text: string) => void;
  vocabularyError: string | undefined;
  language: string;
  onLanguageChange: (code: string) => void;
}

/** The send form's "names and terms" and language fields, as this deployment's model allows. */
export function TranscriptionFields(props: Props) {
  const { config, vocabulary, vocabularyError, language } = props;
  const languages = config?.languages ?? [];
  const limits = config?.vocabulary ?? { max_terms: 50, max_term_chars: 50 };
  return (
    <>
      <div className="field">
        <label htmlFor="vocabulary">
          Names and terms <span className="muted">(optional)</span>
        </label>
        <textarea
          id="vocabulary"
          rows={2}
          value={vocabulary}
          placeholder="Ana Lopez, ComfyUI, Kubernetes"
          onChange={(event) => props.onVocabularyChange(event.target.value)}
          aria-invalid={vocabularyError ? true : undefined}
          aria-describedby={vocabularyError ? "vocabulary-hint vocabulary-error" : "vocabulary-hint"}
        />
        <p id="vocabulary-hint" className="muted">
          People, products or jargon you say, separated by commas, so that they are spelled right (up to{" "}
          {limits.max_terms}).
        </p>
        {vocabularyError && (
          <p id="vocabulary-error" className="field-error">
            {vocabularyError}
          </p>
        )}
      </div>

      <div className="field">
        <label htmlFor="language">Language spoken</label>
        <select id="language" value={language} onChange={(event) => props.onLanguageChange(event.target.value)}>
          <option value="auto">Detect automatically</option>
          {languages.map((code) => (
            <option key={code} value={code}>
              {languageName(code)}
            </option>
          ))}
        </select>
        {config && !config.multilingual && (
          <p className="muted">
            This service’s speech model ({config.model}) understands {languageName(languages[0] ?? "en")} only.
          </p>
        )}
      </div>
    </>
  );
}
