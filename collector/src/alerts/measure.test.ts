/**
 * Alert measurements compute in UTC whatever the session's time zone: the baseline's "same hour of
 * the previous days" is a UTC hour. Asia/Kolkata (UTC+05:30) moves hour boundaries by half an hour,
 * so a zone-less hour function picks other minutes there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRuleSpec } from '@sightline/contract';
import type { Storage } from '../storage/client.js';
import { inTimeZone } from '../test-support/session-time-zone.js';
import { openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { measure } from './measure.js';

const tmp = tempDataDir('sightline-measure-');
let storage: Storage;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 2, 10, 10, 20);

/** `n` spans of the agent starting at `at`, each lasting `ms`. */
async function spans(at: number, ms: number, n = 20): Promise<void> {
  await storage.client.command({
    query: `INSERT INTO spans (trace_id, span_id, start_time, end_time, duration_ns, service_name, agent_name, operation)
            SELECT hex(number + {at:Int64}), hex(number), fromUnixTimestamp64Milli({at:Int64}), fromUnixTimestamp64Milli({at:Int64} + {ms:Int64}),
                   toUInt64({ms:Int64}) * 1000000, 'shop', 'tz-agent', 'invoke_agent'
            FROM numbers({n:UInt32})`,
    query_params: { at, ms, n },
  });
}

const spec: AlertRuleSpec = {
  name: 'baseline',
  description: '',
  condition: { kind: 'latency', percentile: 'p50', mode: 'baseline', factor: 2 },
  scope: { agent: 'tz-agent' },
  groupBy: 'none',
  windowMinutes: 5,
  intervalSeconds: 60,
  minSamples: 1,
  forEvaluations: 1,
  resolveEvaluations: 1,
  hysteresisPercent: 10,
  channels: [],
  muted: false,
};

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
  await spans(NOW - DAY + 30 * MIN, 100); // 10:50 UTC the day before: the same UTC hour (16:20 in Kolkata)
  await spans(NOW - DAY - 40 * MIN, 1000); // 09:40 UTC the day before: another UTC hour (15:10 in Kolkata, as NOW's 15:50)
  await spans(NOW - 2 * MIN, 150);
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

describe('alert measurements in UTC', () => {
  it.each(['UTC', 'Asia/Kolkata', 'America/St_Johns'])(
    'takes the latency baseline from the same UTC hour with session time zone %s',
    async (zone) => {
      const [m] = await measure(inTimeZone(storage.client, zone), 'default', spec, NOW, [], undefined);
      expect(m).toMatchObject({ key: '', samples: 20, value: 150, threshold: 200 });
    },
  );
});
