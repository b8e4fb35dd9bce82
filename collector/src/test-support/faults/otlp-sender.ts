/**
 * Fault-test support: senders that behave like OTLP/HTTP exporters (keep-alive connection, a
 * per-request timeout, the SAME body retried on 429/502/503/504, network errors and timeouts with
 * backoff ±20% jitter, Retry-After honoured unless told to ignore it), and the ledger of every
 * span acknowledged with a 2xx.
 */
import { Agent, request } from 'node:http';
import { exportBatch, rejectedSpans, type ExportBatch } from './span-batches.js';

export interface SendStats {
  requests: number;
  /** Answers by status; `network` (refused, reset) and `timeout` (no answer in time) too. */
  byStatus: Record<string, number>;
  /** 429/503 answers without a Retry-After header. */
  missingRetryAfter: number;
  /** Spans in bodies generated (each span counted once, however often its body was retried). */
  spansGenerated: number;
  spansAcknowledged: number;
  /** Spans acknowledged in a 2xx that carried partial_success (not required to be stored). */
  spansPartiallyRejected: number;
  /** Timeouts where the body had not even been fully sent (the server was not reading it). */
  timeoutsBodyUnsent: number;
  /** Bodies given up on (still failing at the retry deadline): not acknowledged. */
  bodiesAbandoned: number;
  maxLatencyMs: number;
}

/** Every span id acknowledged with 2xx, plus what happened on the way. */
export class Ledger {
  readonly acknowledged = new Set<string>();
  readonly stats: SendStats = {
    requests: 0,
    byStatus: {},
    missingRetryAfter: 0,
    spansGenerated: 0,
    spansAcknowledged: 0,
    spansPartiallyRejected: 0,
    timeoutsBodyUnsent: 0,
    bodiesAbandoned: 0,
    maxLatencyMs: 0,
  };
  /** Answers observed, with the time they were sent and answered (for phase checks). */
  readonly answers: Array<{ sentAt: number; at: number; status: string; retryAfter: string | undefined }> = [];

  count(status: string): number {
    return this.stats.byStatus[status] ?? 0;
  }

  /** Answer latency by status: count, median, 99th percentile and maximum in ms. */
  latencies(): Record<string, { n: number; p50: number; p99: number; max: number }> {
    const by = new Map<string, number[]>();
    for (const a of this.answers) {
      const list = by.get(a.status) ?? [];
      list.push(a.at - a.sentAt);
      by.set(a.status, list);
    }
    const out: Record<string, { n: number; p50: number; p99: number; max: number }> = {};
    for (const [status, list] of by) {
      list.sort((x, y) => x - y);
      const q = (p: number) => list[Math.min(list.length - 1, Math.floor(p * list.length))]!;
      out[status] = { n: list.length, p50: q(0.5), p99: q(0.99), max: list[list.length - 1]! };
    }
    return out;
  }
}

export interface Deadlines {
  /** No new body is started after this instant (ms epoch). */
  stopAt: number;
  /** A body still failing at this instant is abandoned (ms epoch). */
  retryUntil: number;
}

export interface SenderOptions {
  url: string;
  ledger: Ledger;
  /** 8 hex digits unique to this test run. */
  run: string;
  sender: number;
  spansPerRequest: number;
  /** Shared by all senders of a test, and movable (e.g. moved to now to abort). */
  deadlines: Deadlines;
  requestTimeoutMs: number;
  ignoreRetryAfter?: boolean;
  /** Called between bodies (e.g. to pace the load); may be absent. */
  pause?: () => Promise<void>;
  /** Bodies built before the clock starts (their seq must be 0, 1, ...), so building them does not load the machine during the test. */
  prebuilt?: ExportBatch[];
}

const RETRYABLE = new Set([429, 502, 503, 504]);
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5000;
const BACKOFF_MULTIPLIER = 1.5;
const JITTER = 0.2;
/** Senders that ignore Retry-After come back almost at once (a misbehaving client). */
const IMPATIENT_DELAY_MS = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status: string;
  retryAfter: string | undefined;
  body: Buffer;
  /** The whole request body had been handed to the kernel when the answer (or timeout) came. */
  bodySent?: boolean;
}

function ignoreSocketError(): void {}

function postOnce(agent: Agent, url: URL, body: Uint8Array, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    let answered: Answer | undefined;
    // A 2xx must be read whole (partial_success); any other status line is an answer in itself.
    const broken = (): Answer =>
      answered && answered.status !== '200' ? answered : { status: 'network', retryAfter: undefined, body: Buffer.alloc(0) };
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/v1/traces',
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
        timeout: timeoutMs,
      },
      (res) => {
        const parts: Buffer[] = [];
        const ra = res.headers['retry-after'];
        // A server may answer before reading the whole body (429 at admission) and then close the
        // connection: the status line is its answer even if the socket breaks afterwards.
        answered = { status: String(res.statusCode ?? 0), retryAfter: Array.isArray(ra) ? ra[0] : ra, body: Buffer.alloc(0) };
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          clearTimeout(overall);
          resolve({ ...answered!, body: Buffer.concat(parts) });
        });
        res.on('error', () => resolve(broken()));
      },
    );
    // `timeout` above is socket idleness; the exporter's timeout is for the whole request.
    const overall = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
    let settled = false;
    req.on('error', (e) => {
      clearTimeout(overall);
      if (settled) return;
      settled = true;
      resolve(
        e.message === 'timeout' && !answered ? { status: 'timeout', retryAfter: undefined, body: Buffer.alloc(0), bodySent } : broken(),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    // A server that answered early (429 at admission) closes the connection while the body is still
    // being written: the late EPIPE lands on the socket after this request let go of it. The answer
    // is already counted; without a listener the error would be uncaught.
    req.on('socket', (socket) => {
      if (socket.listenerCount('error') === 0 || !socket.listeners('error').includes(ignoreSocketError))
        socket.on('error', ignoreSocketError);
    });
    let bodySent = false;
    req.on('finish', () => (bodySent = true));
    req.end(body);
  });
}

function backoff(attempt: number, retryAfter: string | undefined, ignoreRetryAfter: boolean): number {
  const jitter = 1 + (Math.random() * 2 - 1) * JITTER;
  if (ignoreRetryAfter) return IMPATIENT_DELAY_MS * jitter;
  const ra = retryAfter !== undefined ? Number(retryAfter) : NaN;
  if (Number.isFinite(ra) && ra >= 0) return ra * 1000;
  return Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * BACKOFF_MULTIPLIER ** attempt) * jitter;
}

/** Sends one body until a 2xx, a non-retryable answer, or the retry deadline. */
async function deliver(agent: Agent, o: SenderOptions, batch: ExportBatch): Promise<void> {
  const url = new URL(o.url);
  const s = o.ledger.stats;
  for (let attempt = 0; ; attempt++) {
    const sentAt = Date.now();
    const a = await postOnce(agent, url, batch.body, o.requestTimeoutMs);
    const at = Date.now();
    s.requests++;
    s.byStatus[a.status] = (s.byStatus[a.status] ?? 0) + 1;
    s.maxLatencyMs = Math.max(s.maxLatencyMs, at - sentAt);
    o.ledger.answers.push({ sentAt, at, status: a.status, retryAfter: a.retryAfter });
    const code = Number(a.status);
    if ((code === 429 || code === 503) && a.retryAfter === undefined) s.missingRetryAfter++;
    if (a.status === 'timeout' && a.bodySent === false) s.timeoutsBodyUnsent++;
    if (code >= 200 && code < 300) {
      const rejected = rejectedSpans(a.body);
      if (rejected > 0) {
        // The response does not say which spans were refused: none of them is required to be stored.
        s.spansPartiallyRejected += batch.keys.length;
      } else {
        for (const k of batch.keys) o.ledger.acknowledged.add(k);
        s.spansAcknowledged += batch.keys.length;
      }
      return;
    }
    const retryable = a.status === 'network' || a.status === 'timeout' || RETRYABLE.has(code);
    const wait = backoff(attempt, a.retryAfter, o.ignoreRetryAfter ?? false);
    if (!retryable || Date.now() + wait > o.deadlines.retryUntil) {
      s.bodiesAbandoned++;
      return;
    }
    await sleep(wait);
  }
}

/** One exporter: new bodies until `stopAt`, each delivered with retries. */
export async function runSender(o: SenderOptions): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let seq = 0; Date.now() < o.deadlines.stopAt; seq++) {
      const batch = o.prebuilt?.[seq] ?? exportBatch(o.run, o.sender, seq, o.spansPerRequest, Date.now());
      o.ledger.stats.spansGenerated += batch.keys.length;
      await deliver(agent, o, batch);
      if (o.pause) await o.pause();
    }
  } finally {
    agent.destroy();
  }
}

/** 8 hex digits from a seed, naming one run's ids. */
export function runTag(seed: number): string {
  return (seed >>> 0).toString(16).padStart(8, '0');
}
