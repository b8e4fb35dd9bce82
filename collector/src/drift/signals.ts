/**
 * The behaviour signals drift is measured on, in one place: their name, family, kind and how a
 * person should read them. The SQL that extracts each one lives in queries.ts, keyed by the same names.
 */
export type SignalKind = 'categorical' | 'numeric';
export type SignalFamily = 'decisions' | 'trajectory' | 'output' | 'effort' | 'outcome';

export interface SignalDef {
  name: string;
  family: SignalFamily;
  kind: SignalKind;
  label: string;
  /** Counted per tool call / transition rather than per session (a design effect applies). */
  perCall?: boolean;
  /** Only sessions whose output content was captured count. */
  needsContent?: boolean;
}

export const SIGNALS: readonly SignalDef[] = [
  { name: 'tool.first', family: 'decisions', kind: 'categorical', label: 'First tool chosen' },
  { name: 'tool.choice', family: 'decisions', kind: 'categorical', label: 'Tool-choice distribution', perCall: true },
  { name: 'path', family: 'trajectory', kind: 'categorical', label: 'Path of tools' },
  { name: 'path.novel', family: 'trajectory', kind: 'categorical', label: 'Share of paths never seen in the baseline' },
  { name: 'transition', family: 'trajectory', kind: 'categorical', label: 'Step-to-step transitions', perCall: true },
  { name: 'finish_reason', family: 'output', kind: 'categorical', label: 'Final finish reason' },
  { name: 'output.shape', family: 'output', kind: 'categorical', label: 'Final output shape (JSON keys / text)', needsContent: true },
  { name: 'output.refusal', family: 'output', kind: 'categorical', label: 'Refusals in the final output', needsContent: true },
  { name: 'output.length', family: 'output', kind: 'numeric', label: 'Final output length (characters)', needsContent: true },
  { name: 'steps', family: 'effort', kind: 'numeric', label: 'Steps per session' },
  { name: 'llm_calls', family: 'effort', kind: 'numeric', label: 'LLM calls per session' },
  { name: 'tool_calls', family: 'effort', kind: 'numeric', label: 'Tool calls per session' },
  { name: 'tokens', family: 'effort', kind: 'numeric', label: 'Tokens per session' },
  { name: 'duration_ms', family: 'effort', kind: 'numeric', label: 'Session duration (ms)' },
  { name: 'cost', family: 'effort', kind: 'numeric', label: 'Cost per session (USD, priced calls)' },
  { name: 'loops', family: 'effort', kind: 'numeric', label: 'Repeated identical tool calls' },
  { name: 'retries', family: 'effort', kind: 'numeric', label: 'Retries after a failed tool call' },
  { name: 'outcome', family: 'outcome', kind: 'categorical', label: 'Outcome (ok / error type)' },
];

export const SIGNAL_NAMES = SIGNALS.map((s) => s.name);

/**
 * Scores (feedback, reviews, evaluators) are signals too, one per score name, named `score:<name>`:
 * their set depends on what a project sends, so they are defined when a report finds them.
 */
export const SCORE_SIGNAL_PREFIX = 'score:';
export const scoreSignalDef = (scoreName: string): SignalDef => ({
  name: `${SCORE_SIGNAL_PREFIX}${scoreName}`,
  family: 'outcome',
  kind: 'numeric',
  label: `Score "${scoreName}" (mean per scored session)`,
});

export const signalDef = (name: string): SignalDef | undefined =>
  name.startsWith(SCORE_SIGNAL_PREFIX) && name.length > SCORE_SIGNAL_PREFIX.length
    ? scoreSignalDef(name.slice(SCORE_SIGNAL_PREFIX.length))
    : SIGNALS.find((s) => s.name === name);
