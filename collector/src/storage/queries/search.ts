/**
 * `q` of the trace and session lists as SQL (issue 17). The contract parses the syntax into terms;
 * each term becomes a fixed SQL shape whose values travel as query parameters (`{s0w0:String}`,
 * ...): parameter names come from the terms' positions, never from the search text.
 *
 * Every term asks the search index for its words (`hasToken(SEARCH_DOC, word)`, see migration 016)
 * and then, where the index alone is not the answer, checks the field it is scoped to or the phrase
 * in order. A span qualifies when it matches some term; a trace (or session) when every term is
 * matched by one of its spans.
 */
import { parseSearch, type SearchTerm } from '@sightline/contract';
import { SightlineError } from '../../errors.js';
import { SEARCH_DOC } from '../migrations/016-search-index.js';

export interface SpanSearch {
  /** A span matching at least one term: the WHERE over spans, which the index prunes with. */
  anyTerm: string;
  /** One condition per term, to be true for some span of the group (countIf(...) > 0). */
  terms: string[];
  params: Record<string, string>;
  /** The parsed terms. */
  parsed: SearchTerm[];
}

/** Spans of a trace can start after the range that holds the trace's start: search this far past `to`. */
export const SEARCH_SLACK_MS = 86_400_000;

const lowered = (column: string) => `lowerUTF8(${column})`;

function termCondition(t: SearchTerm, i: number, params: Record<string, string>): string {
  const parts = t.words.map((w, j) => {
    params[`s${i}w${j}`] = w;
    return `hasToken(${SEARCH_DOC}, {s${i}w${j}:String})`;
  });
  params[`s${i}t`] = t.text;
  // One word that is the whole term: the index answers exactly; a phrase or a word with
  // punctuation (order-4411) also needs the text itself, in order.
  const single = t.words.length === 1 && t.words[0] === t.text;
  switch (t.field) {
    case 'any':
      if (!single) parts.push(`position(${SEARCH_DOC}, {s${i}t:String}) > 0`);
      break;
    case 'input':
    case 'output': {
      const column = lowered(t.field);
      parts.push(...t.words.map((_, j) => `hasToken(${column}, {s${i}w${j}:String})`));
      if (!single) parts.push(`position(${column}, {s${i}t:String}) > 0`);
      break;
    }
    case 'tool':
      parts.push(`${lowered('tool_name')} = {s${i}t:String}`);
      break;
    case 'attr':
      params[`s${i}k`] = t.key ?? '';
      parts.push(
        `(${lowered(`span_attributes[{s${i}k:String}]`)} = {s${i}t:String} OR ${lowered(`resource_attributes[{s${i}k:String}]`)} = {s${i}t:String})`,
      );
      break;
  }
  return `(${parts.join(' AND ')})`;
}

/** The SQL of a search, or undefined for no search (absent or blank). */
export function spanSearch(q: string | undefined): SpanSearch | undefined {
  if (q === undefined || q.trim() === '') return undefined;
  const parsed = parseSearch(q);
  // The contract's schema refuses these already; a caller that skipped it gets the same answer.
  if (!parsed.ok) throw new SightlineError('invalid_parameter', `search syntax: ${parsed.message}`, { field: 'q' });
  const params: Record<string, string> = {};
  const terms = parsed.terms.map((t, i) => termCondition(t, i, params));
  return { anyTerm: terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`, terms, params, parsed: parsed.terms };
}

/**
 * The ids (`trace_id` or `session_id`) of the project's groups whose spans, started from `{from}`
 * to `{searchTo}` (ms), match every term. For an `IN (...)` on a summaries table.
 */
export function matchingIds(search: SpanSearch, id: 'trace_id' | 'session_id'): string {
  const nonEmpty = id === 'session_id' ? ` AND session_id != ''` : '';
  const having = search.terms.length > 1 ? `HAVING ${search.terms.map((t) => `countIf(${t}) > 0`).join(' AND ')}` : '';
  return `SELECT ${id} FROM spans
     WHERE project_id = {projectId:String}
       AND start_time >= fromUnixTimestamp64Milli({from:Int64}) AND start_time < fromUnixTimestamp64Milli({searchTo:Int64})${nonEmpty}
       AND ${search.anyTerm}
     GROUP BY ${id} ${having}`;
}
