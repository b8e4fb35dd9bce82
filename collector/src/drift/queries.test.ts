/** Example sessions of a transition: whole steps only, not a substring of the path. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../storage/client.js';
import { openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { exampleSessions, type Comparison } from './queries.js';

const tmp = tempDataDir('sightline-drift-queries-');
let storage: Storage;
const T0 = Date.UTC(2026, 2, 1, 10);

/** Sessions of agent `a` in the current window (T0 + 1 h), one per tool sequence. */
const SESSIONS: Record<string, string[]> = {
  'ends-with-search': ['lookup', 'search'],
  'ends-with-web-search': ['lookup', 'web_search'],
  'search-then-web-search': ['search', 'web_search'],
  'web-search-then-lookup': ['web_search', 'lookup'],
  'research-end': ['research'],
};

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
  await storage.client.insert({
    table: 'drift_session_signals',
    format: 'JSONEachRow',
    values: Object.entries(SESSIONS).map(([key, tools], i) => ({
      agent_name: 'a',
      start_time: new Date(T0 + 3_600_000 + i * 1000).toISOString(),
      session_key: key,
      session_id: key,
      first_tool: tools[0],
      tools,
      path: tools.join(' → '),
      steps: tools.length,
    })),
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

const cmp: Comparison = { baseline: { from: T0 - 86_400_000, to: T0 }, current: { from: T0, to: T0 + 2 * 3_600_000 } };
const examples = async (category: string) =>
  (await exampleSessions(storage.client, 'default', 'a', cmp, 1, 'transition', { category }, 10)).map((s) => s.sessionKey).sort();

describe('transition examples', () => {
  it('matches whole steps: "search → end" is not "web_search → end"', async () => {
    expect(await examples('search → end')).toEqual(['ends-with-search']);
    expect(await examples('web_search → end')).toEqual(['ends-with-web-search', 'search-then-web-search']);
    expect(await examples('start → search')).toEqual(['search-then-web-search']);
    expect(await examples('search → web_search')).toEqual(['search-then-web-search']);
    expect(await examples('web_search → lookup')).toEqual(['web-search-then-lookup']);
    expect(await examples('start → research')).toEqual(['research-end']);
  });
});
