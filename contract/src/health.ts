/** The health and ingest-quarantine answers of the collector (GET /api/health, /api/ingest/quarantine). */
import { z } from 'zod';

export const LeaseStatus = z.object({
  job: z.string(),
  /** This process holds the lease and runs the job. */
  held: z.boolean(),
  /** The current term (0: never claimed); it grows by one at each takeover. */
  term: z.number(),
  /** The holder of the current term as last seen (null: none, or released). */
  holder: z.string().nullable(),
  /** When the current term expires unless renewed, epoch ms. */
  expiresAt: z.number().nullable(),
});
export type LeaseStatus = z.infer<typeof LeaseStatus>;

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  storage: z.object({
    kind: z.enum(['embedded', 'server']),
    /** Reachable, and the last insert succeeded. */
    ok: z.boolean(),
    /** Why inserts are failing, while they are (no row content). */
    error: z.string().nullable(),
  }),
  ingest: z.object({
    queuedSpans: z.number(),
    /** Age of the oldest accepted span not yet in ClickHouse, in milliseconds (0 when none waits). */
    backlogAgeMs: z.number(),
    walBytes: z.number(),
    /** Why the write-ahead log cannot take appends (e.g. disk full), while it cannot. */
    walError: z.string().nullable(),
    inflightBytes: z.number(),
    acceptedSpans: z.number(),
    rejectedSpans: z.number(),
    duplicateSpans: z.number(),
    writtenSpans: z.number(),
    /** Rows ClickHouse refused for their content, set aside in SIGHTLINE_DATA_DIR/quarantine. */
    quarantinedSpans: z.number(),
    /** Spans stored as decoded because a convention's normalizer threw on them (a bug to report). */
    normalizerFailures: z.number(),
    /** Spans rejected because building their row threw unexpectedly (a bug to report). */
    spanDecodeFailures: z.number(),
  }),
  /**
   * Background jobs (alert evaluation and delivery, drift) run in one collector at a time, the one
   * holding the job's lease in ClickHouse; the others stand by and take over when it expires.
   */
  jobs: z
    .object({
      /** This process's holder id. */
      holder: z.string(),
      leases: z.array(LeaseStatus),
    })
    .optional(),
});
export type Health = z.infer<typeof Health>;

/** Rows ClickHouse refused for their content, set aside with the reason (GET /api/ingest/quarantine). */
export const QuarantineEntry = z.object({
  name: z.string(),
  rows: z.number(),
  reason: z.string(),
  code: z.number().nullable(),
  quarantinedAt: z.string(),
});
export type QuarantineEntry = z.infer<typeof QuarantineEntry>;
export const QuarantineList = z.object({ spans: z.number(), entries: z.array(QuarantineEntry) });
export type QuarantineList = z.infer<typeof QuarantineList>;
export const QuarantineReplay = z.object({ entries: z.number(), spans: z.number() });
export type QuarantineReplay = z.infer<typeof QuarantineReplay>;
