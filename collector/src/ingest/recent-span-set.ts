/**
 * Remembers the identities of recently accepted spans so a span that an OTLP exporter retries is
 * stored once. Written by hand because the job needs a fixed memory bound at millions of entries:
 * a JS Set of id strings costs ~100 bytes an entry, this costs 8 bytes a slot.
 *
 * Two generations of open-addressing tables keyed by a 64-bit digest of (project, trace id, span id):
 * when the young one fills, the old one is dropped. So it always remembers at least the last
 * `capacity / 2` spans and at most `capacity`.
 */
const EMPTY = 0;
const TOMBSTONE = 1;

class HashTable {
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  readonly state: Uint8Array; // 0 empty, 1 tombstone, 2 used
  size = 0;
  private readonly mask: number;

  constructor(readonly slots: number) {
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.state = new Uint8Array(slots);
    this.mask = slots - 1;
  }

  private find(hi: number, lo: number): number {
    let i = (Math.imul(hi ^ lo, 0x9e3779b1) >>> 0) & this.mask;
    for (let probes = 0; probes < this.slots; probes++) {
      const s = this.state[i];
      if (s === EMPTY) return -1;
      if (s === 2 && this.hi[i] === hi && this.lo[i] === lo) return i;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  has(hi: number, lo: number): boolean {
    return this.find(hi, lo) >= 0;
  }

  add(hi: number, lo: number): void {
    let i = (Math.imul(hi ^ lo, 0x9e3779b1) >>> 0) & this.mask;
    while (this.state[i] === 2) i = (i + 1) & this.mask;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.state[i] = 2;
    this.size++;
  }

  delete(hi: number, lo: number): boolean {
    const i = this.find(hi, lo);
    if (i < 0) return false;
    this.state[i] = TOMBSTONE;
    this.size--;
    return true;
  }
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Seeds of the two chains for a project: FNV-1a of its id, mixed, one per chain ('' keeps the plain seeds). */
let seedsOf: { project: string; a: number; b: number } = { project: '', a: 0x9747b28c, b: 0x5bd1e995 };
function seeds(project: string): { a: number; b: number } {
  if (seedsOf.project === project) return seedsOf;
  let h = 0x811c9dc5;
  for (let i = 0; i < project.length; i++) h = Math.imul(h ^ project.charCodeAt(i), 0x01000193);
  seedsOf = { project, a: mix(0x9747b28c ^ h), b: mix(0x5bd1e995 ^ Math.imul(h, 0x27d4eb2f)) };
  return seedsOf;
}

/**
 * 64-bit digest of a span identity: two independently seeded chains over the six 32-bit words of
 * (trace id, span id), seeded by the project, so the same ids sent to two projects are two spans.
 * Ids need not be random (tests and some SDKs use sequential ones), so every word goes through a
 * full avalanche mix rather than a plain XOR fold.
 */
function digest(traceId: string, spanId: string, project: string): [number, number] {
  let { a, b } = seeds(project);
  for (let i = 0; i < 48; i += 8) {
    const w = parseInt(i < 32 ? traceId.slice(i, i + 8) : spanId.slice(i - 32, i - 24), 16) | 0;
    a = mix(a ^ w);
    b = mix((Math.imul(b ^ w, 0x27d4eb2f) + 0x165667b1) | 0);
  }
  return [a, b];
}

export class RecentSpanSet {
  private young: HashTable;
  private old: HashTable;
  private readonly perGeneration: number;
  private readonly slots: number;

  constructor(capacity: number) {
    this.perGeneration = Math.max(1, Math.floor(capacity / 2));
    // Load factor ≤ 0.5 keeps linear probing short.
    this.slots = 2 ** Math.ceil(Math.log2(this.perGeneration * 2 + 1));
    this.young = new HashTable(capacity > 0 ? this.slots : 1);
    this.old = new HashTable(1);
  }

  get enabled(): boolean {
    return this.young.slots > 1;
  }

  /** `project`: the span's project; '' for records whose id digest already covers it (log records). */
  has(traceId: string, spanId: string, project = ''): boolean {
    if (!this.enabled) return false;
    const [hi, lo] = digest(traceId, spanId, project);
    return this.young.has(hi, lo) || this.old.has(hi, lo);
  }

  /** Adds the identity; returns false when it was already present. */
  add(traceId: string, spanId: string, project = ''): boolean {
    if (!this.enabled) return true;
    const [hi, lo] = digest(traceId, spanId, project);
    if (this.young.has(hi, lo) || this.old.has(hi, lo)) return false;
    if (this.young.size >= this.perGeneration) {
      this.old = this.young;
      this.young = new HashTable(this.slots);
    }
    this.young.add(hi, lo);
    return true;
  }

  /** Forgets an identity, so that a span whose write failed is accepted when the exporter retries. */
  delete(traceId: string, spanId: string, project = ''): void {
    if (!this.enabled) return;
    const [hi, lo] = digest(traceId, spanId, project);
    if (!this.young.delete(hi, lo)) this.old.delete(hi, lo);
  }
}
