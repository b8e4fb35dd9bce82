/**
 * Size and depth limits applied while turning OTLP values into row strings.
 * They bound the memory one span can pin in the write queue and keep hostile input from
 * blowing the stack; each cut leaves a visible marker so a reader knows data was dropped.
 */

/** Longest attribute value kept, in UTF-16 code units (~64 KiB of ASCII). */
export const MAX_ATTRIBUTE_CHARS = 64 * 1024;

/**
 * Longest value kept for attributes that carry captured content (prompts, completions, tool
 * arguments and results; see `CONTENT_ATTRIBUTE_KEYS` in normalize/). Content is the point of
 * an agent trace, so it gets a larger budget; it is stored once, in the `input`/`output` columns.
 */
export const MAX_CONTENT_CHARS = 256 * 1024;

/** Deepest array/kvlist nesting rendered; deeper levels become TRUNCATED_DEPTH_MARKER. */
export const MAX_VALUE_DEPTH = 16;

export const TRUNCATED_DEPTH_MARKER = '[sightline: truncated, nested deeper than 16 levels]';

/** Appended to a value cut at its size cap: `…[sightline: truncated 123 chars]`. */
export function truncationMarker(droppedChars: number): string {
  return `…[sightline: truncated ${droppedChars} chars]`;
}

/** Reasons listed in a partial-success message before it says "and N more". */
export const MAX_LISTED_REJECTIONS = 10;
