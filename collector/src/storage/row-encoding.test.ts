import { describe, expect, it } from 'vitest';
import { agentTrace } from '../test-support/span-rows.js';
import { encodeSpanRow, SPAN_COLUMNS } from './row-encoding.js';

describe('encodeSpanRow', () => {
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
});
