'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { Span } from '@sightline/contract';
import { splitMatches } from '@sightline/contract';
import { Marked } from '@/components/ui/marked';

/** The words of the search that led to this trace (`?q=`), for every value the span panel shows. */
const SearchNeedles = createContext<readonly string[]>([]);

export function SearchHighlight({ needles, children }: { needles: readonly string[]; children: ReactNode }) {
  return <SearchNeedles.Provider value={needles}>{children}</SearchNeedles.Provider>;
}

/** `text` with the current search's words marked. */
export function Highlighted({ text }: { text: string }) {
  return <Marked text={text} needles={useContext(SearchNeedles)} />;
}

const hits = (text: string, needles: readonly string[]) => text !== '' && splitMatches(text, needles).some((p) => p.match);

/** Whether a span shows one of the words: in its name, content, attribute values or events. */
export function spanMatchesSearch(span: Span, needles: readonly string[]): boolean {
  if (needles.length === 0) return false;
  const texts = [
    span.name,
    span.toolName,
    span.input,
    span.output,
    span.statusMessage,
    ...Object.values(span.attributes),
    ...Object.values(span.resourceAttributes),
    ...span.events.flatMap((e) => [e.name, ...Object.values(e.attributes)]),
  ];
  return texts.some((t) => hits(t, needles));
}
