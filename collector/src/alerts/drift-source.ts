/**
 * What a drift alert asks of the drift engine (collector/src/drift/, built separately). The engine
 * registers an implementation with `alerts.setDriftSource(source)`; until then every drift rule
 * evaluates to "no data" (never fires, resolves if it was firing).
 */
export interface DriftVerdict {
  /** Whether the engine considers the agent drifted now. */
  drifted: boolean;
  /** The engine's drift score (higher is more drifted), compared with a rule's optional `minScore`. */
  score: number;
  /** Epoch ms of the data the verdict is based on; verdicts older than 24 hours count as no data. */
  at: number;
  /** One line for the notification, e.g. "tool-call mix changed: lookup_order 60% → 12%". */
  summary?: string;
}

export interface DriftSource {
  /**
   * The most recent verdict for an agent, narrowed by the rule's service/environment when given;
   * `undefined` when the engine has none. Must not throw for an unknown agent; it may be called
   * once per agent per rule evaluation (about once a minute), so it should read stored verdicts.
   */
  latestVerdict(agent: string, scope: { service?: string; environment?: string; now: number }): Promise<DriftVerdict | undefined>;
}
