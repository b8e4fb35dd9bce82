import { describe, expect, it } from 'vitest';
import { spanRow } from '../test-support/span-rows.js';
import { propagateSessionIds } from './propagate-session.js';

describe('propagateSessionIds', () => {
  it('gives spans without a session the session of their trace, and leaves other traces alone', () => {
    const rows = [
      spanRow({ trace_id: 'a'.repeat(32), span_id: '1'.repeat(16), session_id: 's-1' }),
      spanRow({ trace_id: 'a'.repeat(32), span_id: '2'.repeat(16) }),
      spanRow({ trace_id: 'b'.repeat(32), span_id: '3'.repeat(16) }),
      spanRow({ trace_id: 'c'.repeat(32), span_id: '4'.repeat(16), session_id: 's-2' }),
    ];
    propagateSessionIds(rows);
    expect(rows.map((r) => r.session_id)).toEqual(['s-1', 's-1', '', 's-2']);
  });

  it('never overwrites a session a span carries itself', () => {
    const rows = [
      spanRow({ trace_id: 'a'.repeat(32), span_id: '1'.repeat(16), session_id: 's-1' }),
      spanRow({ trace_id: 'a'.repeat(32), span_id: '2'.repeat(16), session_id: 's-other' }),
    ];
    propagateSessionIds(rows);
    expect(rows.map((r) => r.session_id)).toEqual(['s-1', 's-other']);
  });
});
