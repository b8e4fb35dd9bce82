import { expect, test } from 'vitest';
import { rateLimited } from './rate-limited.js';

test('logs the first call, then at most one per interval with the number skipped in between', () => {
  let now = 0;
  const lines: string[] = [];
  const log = rateLimited(
    1000,
    (skipped, what: string) => lines.push(`${what} (+${skipped})`),
    () => now,
  );
  log('a');
  now = 10;
  log('b');
  now = 999;
  log('c');
  now = 1000;
  log('d');
  now = 5000;
  log('e');
  expect(lines).toEqual(['a (+0)', 'd (+2)', 'e (+0)']);
});
