/**
 * The evaluation scenarios: one simulated agent each. Null scenarios must stay quiet; drift
 * scenarios change one behaviour at `driftAt` and must be detected within two hourly checks.
 */
export interface Behaviour {
  /** Tool weights for each step's choice. */
  tools: Record<string, number>;
  /** Mean number of steps beyond the first. */
  extraSteps: number;
  /** Each tool call is repeated identically this many extra times (a loop bug). */
  repeatCalls: number;
  outputKeys: string[];
  outputChars: number;
  refusalRate: number;
  toolErrorRate: number;
}

export interface Scenario {
  name: string;
  kind: 'null' | 'drift';
  description: string;
  /** Multiplier of the base session rate at a time (ms since the simulation start, hour of day). */
  rate(elapsedMs: number, hourOfDay: number): number;
  behaviour(elapsedMs: number, hourOfDay: number, dayJitter: number): Behaviour;
  /** For drift scenarios: ms since the start when the change happens. */
  driftAtMs?: number;
  /** Whether sessions carry a session id (else the trace is the session). */
  sessionIds: boolean;
  /** For drift scenarios: the signals that should explain the verdict (at least one of them). */
  expectSignals?: string[];
}

const DAY = 24 * 3_600_000;

export const BASE: Behaviour = {
  tools: { search_kb: 0.4, lookup_order: 0.3, refund: 0.15, escalate: 0.15 },
  extraSteps: 1.5,
  repeatCalls: 0,
  outputKeys: ['answer', 'sources'],
  outputChars: 400,
  refusalRate: 0.02,
  toolErrorRate: 0.03,
};

/** Day traffic peaks at 15:00 and bottoms at 03:00 (×0.25 … ×1.75, mean 1). */
export const seasonal = (hour: number) => 0.25 + 1.5 * ((1 - Math.cos((2 * Math.PI * (hour - 3)) / 24)) / 2);

/** Moves `points` of share to `tool` from the others, proportionally. */
function shift(tools: Record<string, number>, tool: string, points: number): Record<string, number> {
  const total = Object.values(tools).reduce((a, b) => a + b, 0);
  const share = (tools[tool] ?? 0) / total;
  const target = share + points / 100;
  const out: Record<string, number> = {};
  for (const [k, w] of Object.entries(tools)) out[k] = k === tool ? target : ((w / total) * (1 - target)) / (1 - share);
  return out;
}

export function scenarios(days: number): Scenario[] {
  // Drifts start at 10:00 on the last-but-one day, after a full baseline, in daytime traffic.
  const driftAtMs = (days - 2) * DAY + 10 * 3_600_000;
  const after = (ms: number) => ms >= driftAtMs;
  const steady = () => 1;
  const drift = (
    name: string,
    description: string,
    expectSignals: string[],
    change: (b: Behaviour) => Behaviour,
    sessionIds = false,
  ): Scenario => ({
    name,
    expectSignals,
    kind: 'drift',
    description,
    rate: steady,
    behaviour: (ms) => (after(ms) ? change(BASE) : BASE),
    driftAtMs,
    sessionIds,
  });
  return [
    {
      name: 'null-noise',
      kind: 'null',
      description: 'stable agent; tool shares jitter by ±1 pt from day to day',
      rate: steady,
      behaviour: (_ms, _h, j) => ({ ...BASE, tools: shift(BASE.tools, 'search_kb', j) }),
      sessionIds: true,
    },
    {
      name: 'null-traffic-x3',
      kind: 'null',
      description: 'traffic triples half-way through',
      rate: (ms) => (ms >= (days / 2) * DAY ? 3 : 1),
      behaviour: () => BASE,
      sessionIds: false,
    },
    {
      name: 'null-seasonal',
      kind: 'null',
      description: 'strong daily seasonality of traffic and a ±3 pt daily cycle in tool choice',
      rate: (_ms, h) => seasonal(h) ** 1.5,
      behaviour: (_ms, h) => ({ ...BASE, tools: shift(BASE.tools, 'search_kb', 3 * Math.sin((2 * Math.PI * h) / 24)) }),
      sessionIds: true,
    },
    {
      name: 'null-quiet-night',
      kind: 'null',
      description: 'nights (22:00–06:00) have almost no sessions',
      rate: (_ms, h) => (h >= 22 || h < 6 ? 0.02 : 1.3),
      behaviour: () => BASE,
      sessionIds: false,
    },
    drift('drift-tool-share', "search_kb's share of tool calls +15 pts", ['tool.choice', 'tool.first', 'path', 'transition'], (b) => ({
      ...b,
      tools: shift(b.tools, 'search_kb', 15),
    })),
    drift(
      'drift-new-tool',
      'a new tool web_search takes 12% of tool calls',
      ['tool.choice', 'tool.first', 'path', 'path.novel', 'transition'],
      (b) => ({ ...b, tools: { ...shift({ ...b.tools, web_search: 0 }, 'web_search', 12) } }),
      true,
    ),
    drift('drift-loop-bug', 'every tool call is repeated: steps double', ['steps', 'loops', 'tool_calls', 'llm_calls'], (b) => ({
      ...b,
      repeatCalls: 1,
    })),
    drift(
      'drift-renamed-key',
      'the output key "answer" is renamed "response"',
      ['output.shape'],
      (b) => ({ ...b, outputKeys: ['response', 'sources'] }),
      true,
    ),
    drift('drift-long-outputs', 'outputs twice as long', ['output.length'], (b) => ({ ...b, outputChars: b.outputChars * 2 })),
    drift('drift-refusals', 'refusals up 10 pts', ['output.refusal'], (b) => ({ ...b, refusalRate: b.refusalRate + 0.1 }), true),
  ];
}
