import type { SpanRow } from '../storage/span-row.js';

/** What a normalizer may read: the decoded span, before any typed column is filled. */
export type SpanView = Readonly<
  Pick<
    SpanRow,
    | 'name'
    | 'kind'
    | 'status_code'
    | 'status_message'
    | 'scope_name'
    | 'span_attributes'
    | 'resource_attributes'
    | 'event_names'
    | 'event_attributes'
  >
>;

/**
 * Maps one instrumentation convention's attributes onto the typed columns of a SpanRow.
 * One file per convention (genai.ts, openinference.ts, ...), listed in index.ts.
 */
export interface Normalizer {
  /** Stored in `row.convention` for the spans this normalizer claims. */
  readonly name: string;
  /**
   * Attributes that carry captured content (prompts, completions, tool arguments/results).
   * The decoder gives them the larger MAX_CONTENT_CHARS cap, and `apply` moves them into
   * `row.input`/`row.output`, so content is stored once.
   */
  readonly contentKeys: readonly string[];
  /** Cheap test, run on every span: does this span follow the convention? */
  matches(span: SpanView): boolean;
  /** Fills typed columns of `row` (the same span as `span`). Called only when `matches`. */
  apply(span: SpanView, row: SpanRow): void;
}
