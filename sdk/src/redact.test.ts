import { describe, expect, it } from 'vitest';
import { captureValue, redactPatterns, REDACTION_FAILED, serialize, truncate, TRUNCATION_MARKER } from './redact.js';

const on = { captureContent: true, maxContentLength: 50, redact: undefined };

describe('content capture', () => {
  it('records nothing when capture is off (the default)', () => {
    expect(captureValue('secret', 'gen_ai.input.messages', { ...on, captureContent: false })).toBeUndefined();
  });

  it('keeps strings as they are and serializes the rest as JSON, tolerating cycles and bigint', () => {
    expect(serialize('plain')).toBe('plain');
    const o: Record<string, unknown> = { n: 1n };
    o.self = o;
    expect(serialize(o)).toBe('{"n":"1","self":"[Circular]"}');
  });

  it('caps long values with a visible truncation marker', () => {
    const out = captureValue('x'.repeat(500), 'gen_ai.tool.call.result', on)!;
    expect(out.length).toBe(50);
    expect(out.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(truncate('short', 50)).toBe('short');
  });

  it('redacts before truncating, per field', () => {
    const fields: string[] = [];
    const out = captureValue({ email: 'ann@example.com' }, 'gen_ai.input.messages', {
      ...on,
      redact: (t, f) => {
        fields.push(f);
        return t.replace(/[\w.]+@[\w.]+/g, '<email>');
      },
    });
    expect(out).toBe('{"email":"<email>"}');
    expect(fields).toEqual(['gen_ai.input.messages']);
  });

  it('never falls back to raw content when the redactor throws', () => {
    const out = captureValue('card 4111 1111 1111 1111', 'gen_ai.input.messages', {
      ...on,
      redact: () => {
        throw new Error('bug');
      },
    });
    expect(out).toBe(REDACTION_FAILED);
  });

  it('ships a pattern redactor for e-mails and card-like numbers', () => {
    expect(redactPatterns()('mail bob@x.io, card 4111 1111 1111 1111', 'gen_ai.input.messages')).toBe('mail [REDACTED], card [REDACTED]');
  });
});
