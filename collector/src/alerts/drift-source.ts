/**
 * What a drift alert asks of the drift engine (collector/src/drift/). Declared here structurally,
 * so alerting does not depend on the engine's code: the engine's `DriftEngine` satisfies it as is,
 * and is registered with `alerts.setDriftSource(engine)`. Until one is registered every drift rule
 * evaluates to "no data" (never fires; one that was firing resolves).
 */
export interface DriftVerdict {
  /** 'drift' fires; anything else ('no_drift', 'insufficient_data') counts as clear. */
  status: string;
  /** End of the window the verdict is about, epoch ms; verdicts older than 24 h count as no data. */
  windowEnd: number;
  /** The signals that changed; their number is the alert's value. */
  driftedSignals: string[];
  /** One line for people, e.g. "tool-call mix changed". */
  summary: string;
}

export interface DriftSource {
  /** The most recent stored verdict for an agent of a project; `undefined` when there is none. Must not throw for an unknown agent. */
  latestVerdict(projectId: string, agent: string): Promise<DriftVerdict | undefined>;
}
