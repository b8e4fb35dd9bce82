import { describe, expect, it } from 'vitest';
import { legacySpanLine as encodeSpanRow } from '../test-support/legacy-segments.js';
import { agentTrace, spanRow } from '../test-support/span-rows.js';
import { SPAN_COLUMNS } from './span-table.js';

// JSON lines of span rows: how segments left by earlier versions (still replayed) hold them, and the
// well-formedness step log records share (encodeWellFormed).
describe('JSON row lines (encodeWellFormed)', () => {
  it('writes every column of the row, in SPAN_COLUMNS order', () => {
    for (const row of agentTrace({ traceIndex: 3, startNs: 1_700_000_000_000_000_000n, failTool: true })) {
      const values = JSON.parse(encodeSpanRow(row)) as unknown[];
      expect(Object.fromEntries(SPAN_COLUMNS.map((c, i) => [c, values[i]]))).toEqual(row);
    }
  });

  it('names every field of SpanRow exactly once', () => {
    const [row] = agentTrace({ traceIndex: 1, startNs: 1n });
    expect([...SPAN_COLUMNS].sort()).toEqual(Object.keys(row!).sort());
  });

  it('writes lone surrogates in any string, key or array as U+FFFD; valid pairs and escaped text as they are', () => {
    const lone = 'a\ud800b';
    const row = spanRow({
      trace_id: 'ab'.repeat(16),
      span_id: 'cd'.repeat(8),
      name: lone,
      status_message: '\udfff',
      finish_reasons: [lone],
      span_attributes: { [lone]: lone, emoji: '😀', text: '\\ud800 is how JSON escapes it' },
      event_attributes: [{ k: '\udbff' }],
    });
    Object.defineProperty(row.span_attributes, '__proto__', { value: lone, enumerable: true });
    const line = encodeSpanRow(row);
    expect(line).not.toMatch(/(?<!\\)(?:\\\\)*\\ud[89a-f]/i);
    const values = JSON.parse(line) as unknown[];
    const at = (c: (typeof SPAN_COLUMNS)[number]) => values[SPAN_COLUMNS.indexOf(c)];
    expect(at('name')).toBe('a\ufffdb');
    expect(at('status_message')).toBe('\ufffd');
    expect(at('finish_reasons')).toEqual(['a\ufffdb']);
    expect(at('event_attributes')).toEqual([{ k: '\ufffd' }]);
    const attrs = at('span_attributes') as Record<string, string>;
    expect(Object.keys(attrs).sort()).toEqual(['__proto__', 'a\ufffdb', 'emoji', 'text']);
    expect(attrs['a\ufffdb']).toBe('a\ufffdb');
    expect([attrs.emoji, attrs.text, Object.getOwnPropertyDescriptor(attrs, '__proto__')?.value]).toEqual([
      '😀',
      '\\ud800 is how JSON escapes it',
      'a\ufffdb',
    ]);
  });
});
