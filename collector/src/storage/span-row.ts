/** The span row and its names, for the many modules that only need the type (defined in span-table.ts). */
export type { SpanKindName, SpanRow, StatusCodeName } from './span-table.js';

/** Operations whose spans are model calls: only these carry token counts in the typed columns. */
export const MODEL_CALL_OPERATIONS = ['chat', 'text_completion', 'generate_content', 'embeddings'] as const;
