/** What both modes count for their progress lines. */
import type { TurnResult } from './support-agent.js';

export interface Tally {
  sessions: number;
  runs: number;
  spans: number;
  errors: number;
}

export const newTally = (): Tally => ({ sessions: 0, runs: 0, spans: 0, errors: 0 });

export function countRun(tally: Tally, result: TurnResult): void {
  tally.runs += 1;
  tally.spans += result.spans;
  if (result.answer.startsWith('error')) tally.errors += 1;
}
