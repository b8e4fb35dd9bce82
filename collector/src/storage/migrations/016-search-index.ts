/**
 * Search inside content (issue 17): one skip index over every searchable field of a span, so
 * `q` on the trace and session lists reads only the granules that can hold its words.
 *
 * The index is on one expression, SEARCH_DOC: the lower-cased text of the span's name, tool name,
 * input and output (LLM messages, tool arguments and results), status message, span and resource
 * attribute values, event names and event attribute values. A query asks
 * `hasToken(SEARCH_DOC, word)` for each word it needs (queries/search.ts), which the index answers;
 * the field a term is scoped to (input:, output:, ...) is then checked on the rows it kept. One
 * index for every field, because a plain word is a disjunction over all of them, which per-column
 * indexes cannot prune (an OR with a column a given index does not cover keeps every granule).
 *
 * Type: a `text` index (an inverted index: a dictionary of tokens with posting lists per part),
 * tokenized like hasToken (splitByNonAlpha). It beat tokenbf_v1 and ngrambf_v1 on our spans at the
 * same query (BENCHMARKS.md, "Search"): exact, so a rare word reads only its granules, and no
 * false-positive rate to size. The full-text settings are on in ClickHouse 26 (chDB 3.4 embeds
 * 26.7) and named in the statement for servers where they are not: in the statement, because the
 * embedded engine keeps a client setting for the rest of its session.
 *
 * Rows are sorted by (project_id, service_name, start_time, ...): a granule holds one project's
 * spans of a stretch of time, so the index prunes inside the project's and the range's parts the
 * primary key and the day partitions already chose; a project's query never reads another's
 * postings. MATERIALIZE INDEX builds it for the parts written before this migration (a mutation,
 * in the background on a server; the index is used wherever it exists and a part without it is
 * read in full until then).
 */
export const SEARCH_DOC = `lowerUTF8(concat(name, ' ', tool_name, ' ', input, ' ', output, ' ', status_message, ' ',
  arrayStringConcat(mapValues(span_attributes), ' '), ' ', arrayStringConcat(mapValues(resource_attributes), ' '), ' ',
  arrayStringConcat(event_names, ' '), ' ', arrayStringConcat(arrayFlatten(arrayMap(m -> mapValues(m), event_attributes)), ' ')))`;

export const SPANS_ADD_SEARCH_INDEX = `
ALTER TABLE spans ADD INDEX IF NOT EXISTS idx_search ${SEARCH_DOC} TYPE text(tokenizer = splitByNonAlpha)
SETTINGS enable_full_text_index = 1`;

export const SPANS_MATERIALIZE_SEARCH_INDEX = `ALTER TABLE spans MATERIALIZE INDEX idx_search`;
