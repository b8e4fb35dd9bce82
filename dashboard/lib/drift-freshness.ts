/**
 * What the drift page says about how fresh its numbers are. The collector answers drift calls
 * from the sessions it has summarized and catches up on new or late spans in the background.
 */
import type { DriftFreshness } from '@sightline/contract';
import { formatTime, TIME_ZONE_LABEL } from './time';

export function freshnessText(f: DriftFreshness): string {
  const at = (ms: number) => `${formatTime(ms, { withDate: true, seconds: false })} ${TIME_ZONE_LABEL}`;
  const upTo =
    f.materializedUntil === null
      ? 'No sessions summarized yet'
      : `Sessions summarized up to ${at(f.materializedUntil)}${f.spansIngestedUntil === null ? '' : `, from spans received up to ${at(f.spansIngestedUntil)}`}`;
  const state =
    f.catchUp === 'running'
      ? 'catching up on new or late spans: reload in a moment for the complete numbers'
      : f.catchUp === 'failed'
        ? 'the last catch-up failed (see the collector log); the numbers may be stale'
        : 'up to date';
  return `${upTo} · ${state}.`;
}
