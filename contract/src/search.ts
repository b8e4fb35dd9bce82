/**
 * The search syntax of `q` on the trace and session lists (issue 17), parsed in one place: the
 * collector turns the terms into parameterized SQL, the dashboard marks the same words in a trace.
 *
 *   refund                 a word in any field: LLM input or output, tool arguments and results,
 *                          span names, attribute values, event names and fields
 *   "refund issued"        a phrase (the words in this order), any field
 *   input:refund           in LLM inputs / tool arguments only (quoted phrases allowed: input:"a b")
 *   output:refund          in LLM outputs / tool results only
 *   tool:lookup_order      a call of this tool (its name, exactly, case-insensitive)
 *   attr.user.tier=gold    a span or resource attribute with this value (case-insensitive)
 *
 * Several terms must all match (AND), each in some span of the trace (or session). Matching is by
 * whole words, case-insensitive: a word is a run of letters, digits and non-ASCII characters, the
 * tokens ClickHouse's `hasToken` and the search index see.
 */

export type SearchField = 'any' | 'input' | 'output' | 'tool' | 'attr';

export interface SearchTerm {
  field: SearchField;
  /** What to find, lower-cased: a word, a phrase, a tool name or an attribute value. */
  text: string;
  /** The attribute key, for `attr.key=value`. */
  key?: string;
  /** The words of `text` (runs of word characters): what the index is asked for. */
  words: string[];
}

export type SearchParse = { ok: true; terms: SearchTerm[] } | { ok: false; message: string };

/** More terms than this is a query nobody types; it also bounds the SQL a query can make. */
export const MAX_SEARCH_TERMS = 8;

/** ASCII characters that are not letters or digits separate words, as in ClickHouse's hasToken. */
// eslint-disable-next-line no-control-regex -- control characters are separators too, as in ClickHouse
const SEPARATORS = /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+/;
const FIELD_PREFIX = /^(input|output|tool):/i;
const ATTR_PREFIX = /^attr\.([A-Za-z0-9_.-]{1,100})=/i;

/** The words of a text, lower-cased, as the search index tokenizes it. */
export function searchWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(SEPARATORS)
    .filter((w) => w !== '');
}

/** Splits `q` into raw pieces: whitespace separates, except inside double quotes. */
function pieces(q: string): { ok: true; parts: string[] } | { ok: false; message: string } {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of q) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && /\s/.test(ch)) {
      if (current !== '') parts.push(current);
      current = '';
    } else current += ch;
  }
  if (quoted) return { ok: false, message: 'a quote is not closed' };
  if (current !== '') parts.push(current);
  return { ok: true, parts };
}

/** The value of a piece: a quoted phrase loses its quotes; quotes elsewhere are not allowed. */
function unquote(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    const inner = raw.slice(1, -1);
    if (inner.includes('"')) return { ok: false, message: `unexpected quote in ${raw}` };
    return { ok: true, value: inner.trim() };
  }
  if (raw.includes('"')) return { ok: false, message: `a quote must enclose a whole value: ${raw}` };
  return { ok: true, value: raw };
}

export function parseSearch(q: string): SearchParse {
  const split = pieces(q);
  if (!split.ok) return split;
  const terms: SearchTerm[] = [];
  for (const piece of split.parts) {
    let field: SearchField = 'any';
    let key: string | undefined;
    let rest = piece;
    const attr = ATTR_PREFIX.exec(piece);
    const prefix = FIELD_PREFIX.exec(piece);
    if (attr) {
      field = 'attr';
      key = attr[1]!;
      rest = piece.slice(attr[0].length);
    } else if (prefix) {
      field = prefix[1]!.toLowerCase() as SearchField;
      rest = piece.slice(prefix[0].length);
    }
    const value = unquote(rest);
    if (!value.ok) return value;
    if (value.value === '') return { ok: false, message: field === 'any' ? 'an empty phrase' : `${piece} has no value` };
    const text = value.value.toLowerCase();
    const words = searchWords(text);
    if (words.length === 0) return { ok: false, message: `${piece} has no letters or digits to search for` };
    terms.push(key === undefined ? { field, text, words } : { field, text, key, words });
  }
  if (terms.length === 0) return { ok: false, message: 'nothing to search for' };
  if (terms.length > MAX_SEARCH_TERMS) return { ok: false, message: `at most ${MAX_SEARCH_TERMS} terms` };
  return { ok: true, terms };
}

/**
 * What a view marks for a search: the phrases and words of its content terms (any, input,
 * output), longest first so a phrase wins over a word inside it. Tool names and attribute values
 * are marked too: they are what matched.
 */
export function highlightTexts(q: string | undefined): string[] {
  if (q === undefined || q.trim() === '') return [];
  const parsed = parseSearch(q);
  if (!parsed.ok) return [];
  const texts = new Set(parsed.terms.map((t) => t.text));
  return [...texts].sort((a, b) => b.length - a.length);
}

export interface TextPart {
  text: string;
  match: boolean;
}

const isWordChar = (ch: string | undefined) => ch !== undefined && !SEPARATORS.test(ch);

/**
 * Splits `text` into plain and matched parts: each occurrence (case-insensitive) of one of
 * `needles` that starts and ends on a word boundary, as the search matched whole words. The parts
 * are text, for a view to render as text (never as HTML).
 */
export function splitMatches(text: string, needles: readonly string[]): TextPart[] {
  if (needles.length === 0 || text === '') return [{ text, match: false }];
  const lower = text.toLowerCase();
  // toLowerCase keeps the length of almost every string; where it does not, positions would not
  // map back onto `text`, so nothing is marked rather than the wrong characters.
  if (lower.length !== text.length) return [{ text, match: false }];
  const parts: TextPart[] = [];
  let plainFrom = 0;
  let i = 0;
  while (i < lower.length) {
    const found = needles.find((n) => n !== '' && lower.startsWith(n, i) && !isWordChar(lower[i - 1]) && !isWordChar(lower[i + n.length]));
    if (found === undefined) {
      i++;
      continue;
    }
    if (i > plainFrom) parts.push({ text: text.slice(plainFrom, i), match: false });
    parts.push({ text: text.slice(i, i + found.length), match: true });
    i += found.length;
    plainFrom = i;
  }
  if (plainFrom < text.length) parts.push({ text: text.slice(plainFrom), match: false });
  return parts;
}
