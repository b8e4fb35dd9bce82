'use client';

import { useState } from 'react';
import { Highlighted } from './search-highlight';

/** Values longer than this are cut, with a button to show the rest. */
export const COLLAPSE_AT = 2048;

/** JSON is re-indented for reading; anything else is shown as it is. */
export function prettyValue(raw: string): { text: string; json: boolean } {
  const trimmed = raw.trim();
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
    try {
      return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true };
    } catch {
      // Not JSON after all: fall through to the raw text.
    }
  }
  return { text: raw, json: false };
}

/**
 * A captured value (attribute, input, output). Rendered as text nodes only (the search's words in
 * <mark>): React escapes them, so markup in an agent's payload shows as characters and never runs.
 */
export function ValueView({ value, block = false }: { value: string; block?: boolean }) {
  const [expanded, setExpanded] = useState(false);
  const { text, json } = prettyValue(value);
  const long = text.length > COLLAPSE_AT;
  const shown = long && !expanded ? `${text.slice(0, COLLAPSE_AT)}…` : text;
  const multiline = block || json || text.includes('\n') || text.length > 80;
  return (
    <div data-testid="value-view">
      {multiline ? (
        <pre className="value-pre">
          <Highlighted text={shown} />
        </pre>
      ) : (
        <span className="value-inline">
          <Highlighted text={shown} />
        </span>
      )}
      {long && (
        <button type="button" className="btn small" style={{ marginTop: 4 }} onClick={() => setExpanded((e) => !e)}>
          {expanded ? 'Show less' : `Show more (${formatSize(text.length)})`}
        </button>
      )}
    </div>
  );
}

function formatSize(chars: number): string {
  return chars < 10_240 ? `${(chars / 1024).toFixed(1)} KB` : `${Math.round(chars / 1024)} KB`;
}
