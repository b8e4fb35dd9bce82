/** Loads a fixture file recorded by interop/record-fixtures.ts from a real instrumentation package. */
import { readFileSync } from 'node:fs';
import type { SpanFixture } from './normalizers.case.js';

export interface RecordedSpan extends SpanFixture {
  /** Name of the parent span in the same recording, '' for a root. */
  parent: string;
  scope: string;
}

export interface RecordedFixtures {
  /** Package → version the spans were recorded with. */
  recordedWith: Record<string, string>;
  spans: RecordedSpan[];
}

export function loadRecorded(convention: string): RecordedFixtures {
  return JSON.parse(readFileSync(new URL(`./fixtures/${convention}.json`, import.meta.url), 'utf8')) as RecordedFixtures;
}

/** The recorded span matching `pred`; throws naming what was looked for, so a re-recording that changes shape fails loudly. */
export function pick(rec: RecordedFixtures, what: string, pred: (s: RecordedSpan) => boolean): RecordedSpan {
  const s = rec.spans.find(pred);
  if (!s) throw new Error(`recorded fixture has no ${what}`);
  return s;
}
