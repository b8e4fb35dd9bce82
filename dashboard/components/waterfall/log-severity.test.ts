import { describe, expect, it } from 'vitest';
import { severityLabel, severityTone } from './log-severity';

describe('log severity', () => {
  it('prefers the text the sender gave, else names the OTel range of the number', () => {
    expect(severityLabel(9, 'notice')).toBe('notice');
    expect(severityLabel(1, '')).toBe('TRACE');
    expect(severityLabel(8, '')).toBe('DEBUG');
    expect(severityLabel(12, '')).toBe('INFO');
    expect(severityLabel(13, '')).toBe('WARN');
    expect(severityLabel(20, '')).toBe('ERROR');
    expect(severityLabel(24, '')).toBe('FATAL');
    expect(severityLabel(0, '')).toBe('');
    expect(severityLabel(25, '  ')).toBe('');
  });

  it('marks warnings and errors', () => {
    expect([0, 9, 12, 13, 16, 17, 24].map(severityTone)).toEqual(['plain', 'plain', 'plain', 'warn', 'warn', 'error', 'error']);
  });
});
