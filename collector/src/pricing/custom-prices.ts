/**
 * Custom prices per project: stored in `custom_prices` (migration 15), held in memory for ingest.
 * The store writes through its in-memory book, so a price created on this collector applies to the
 * next span at once; `refresh()` (run periodically) brings in prices written by other collectors.
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { CustomPrice, CustomPriceSpec } from '@sightline/contract';
import { SightlineError } from '../errors.js';
import { select } from '../storage/queries/common.js';
import { nextRowVersion } from '../alerts/row-version.js';
import { partitions, type Cost, type ModelUsage } from './usage.js';

/** A pattern as a matcher: `*` is any run of characters, everything else literal, case-insensitive. */
export function patternMatcher(pattern: string): (model: string) => boolean {
  // Built from an escaped pattern of a restricted alphabet (contract ModelPattern): linear, no backtracking blow-up.
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${source}$`, 'i');
  return (model) => re.test(model);
}

interface Entry {
  price: CustomPrice;
  matches: (model: string) => boolean;
}

/** The custom price of a call under `price`: USD per million tokens by kind, with the documented fallbacks. */
export function customCost(price: CustomPrice, usage: ModelUsage): Cost {
  const p = partitions(usage);
  const input =
    (p.plainInput * price.inputPerMTok +
      p.cacheRead * (price.cacheReadPerMTok ?? price.inputPerMTok) +
      p.cacheWrite * (price.cacheWritePerMTok ?? price.inputPerMTok)) /
    1e6;
  const output = (p.plainOutput * price.outputPerMTok + p.reasoning * (price.reasoningPerMTok ?? price.outputPerMTok)) / 1e6;
  return { input, output, total: input + output };
}

/**
 * The prices of every project, with a cache of which prices match each (project, provider, model),
 * so that matching runs once per model name, not once per span.
 */
export class CustomPriceBook {
  private byProject = new Map<string, Entry[]>();
  private matching = new Map<string, CustomPrice[]>();

  replace(prices: Array<CustomPrice & { projectId: string }>): void {
    const byProject = new Map<string, Entry[]>();
    for (const p of prices) {
      const list = byProject.get(p.projectId) ?? [];
      const { projectId: _, ...price } = p;
      list.push({ price, matches: patternMatcher(p.modelPattern) });
      byProject.set(p.projectId, list);
    }
    this.byProject = byProject;
    this.matching = new Map();
  }

  /** The price in force for a call of `model` that started at `atMs`: the latest valid one, the newest on a tie. */
  priceFor(projectId: string, provider: string, model: string, atMs: number): CustomPrice | undefined {
    if (this.byProject.size === 0) return undefined;
    const key = `${projectId}\u0000${provider}\u0000${model}`;
    let list = this.matching.get(key);
    if (!list) {
      const lower = provider.toLowerCase();
      list = (this.byProject.get(projectId) ?? [])
        .filter((e) => (e.price.provider === '' || e.price.provider.toLowerCase() === lower) && e.matches(model))
        .map((e) => e.price)
        .sort((a, b) => b.validFrom - a.validFrom || b.updatedAt - a.updatedAt);
      if (this.matching.size >= 10_000) this.matching.clear();
      this.matching.set(key, list);
    }
    return list.find((p) => p.validFrom <= atMs);
  }
}

interface PriceRow {
  project_id: string;
  id: string;
  model_pattern: string;
  provider: string;
  input_per_mtok: number;
  output_per_mtok: number;
  cache_read_per_mtok: number | null;
  cache_write_per_mtok: number | null;
  reasoning_per_mtok: number | null;
  valid_from: string;
  created_at: string;
  updated_at: string;
}

const toPrice = (r: PriceRow): CustomPrice & { projectId: string } => ({
  projectId: r.project_id,
  id: r.id,
  modelPattern: r.model_pattern,
  provider: r.provider,
  inputPerMTok: Number(r.input_per_mtok),
  outputPerMTok: Number(r.output_per_mtok),
  cacheReadPerMTok: r.cache_read_per_mtok === null ? null : Number(r.cache_read_per_mtok),
  cacheWritePerMTok: r.cache_write_per_mtok === null ? null : Number(r.cache_write_per_mtok),
  reasoningPerMTok: r.reasoning_per_mtok === null ? null : Number(r.reasoning_per_mtok),
  validFrom: Number(r.valid_from),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export class CustomPriceStore {
  readonly book = new CustomPriceBook();

  constructor(private readonly client: ClickHouseClient) {}

  /** Reads every live price into the book. */
  async refresh(): Promise<void> {
    const rows = await select<PriceRow>(
      this.client,
      `SELECT project_id, id, model_pattern, provider, input_per_mtok, output_per_mtok, cache_read_per_mtok,
         cache_write_per_mtok, reasoning_per_mtok, toUnixTimestamp64Milli(valid_from) AS valid_from,
         toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(updated_at) AS updated_at
       FROM custom_prices FINAL WHERE deleted = 0 ORDER BY project_id, valid_from, id`,
      {},
    );
    this.book.replace(rows.map(toPrice));
  }

  async list(projectId: string): Promise<CustomPrice[]> {
    await this.refresh();
    const rows = await select<PriceRow>(
      this.client,
      `SELECT project_id, id, model_pattern, provider, input_per_mtok, output_per_mtok, cache_read_per_mtok,
         cache_write_per_mtok, reasoning_per_mtok, toUnixTimestamp64Milli(valid_from) AS valid_from,
         toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(updated_at) AS updated_at
       FROM custom_prices FINAL WHERE deleted = 0 AND project_id = {project:String} ORDER BY model_pattern, valid_from, id`,
      { project: projectId },
    );
    return rows.map(toPrice).map(({ projectId: _, ...p }) => p);
  }

  async get(projectId: string, id: string): Promise<CustomPrice> {
    const found = (await this.list(projectId)).find((p) => p.id === id);
    if (!found) throw new SightlineError('not_found', `no custom price ${id}`, { field: 'id' });
    return found;
  }

  async create(projectId: string, input: CustomPriceSpec, now = Date.now()): Promise<CustomPrice> {
    const price = fromInput(randomUUID(), input, now, now);
    await this.write(projectId, price, false);
    return price;
  }

  async update(projectId: string, id: string, input: CustomPriceSpec, now = Date.now()): Promise<CustomPrice> {
    const current = await this.get(projectId, id);
    const price = fromInput(id, input, current.createdAt, now);
    await this.write(projectId, price, false);
    return price;
  }

  async delete(projectId: string, id: string, now = Date.now()): Promise<void> {
    const current = await this.get(projectId, id);
    await this.write(projectId, { ...current, updatedAt: now }, true);
  }

  private async write(projectId: string, p: CustomPrice, deleted: boolean): Promise<void> {
    await this.client.insert({
      table: 'custom_prices',
      format: 'JSONEachRow',
      values: [
        {
          project_id: projectId,
          id: p.id,
          version: nextRowVersion(),
          deleted: deleted ? 1 : 0,
          model_pattern: p.modelPattern,
          provider: p.provider,
          input_per_mtok: p.inputPerMTok,
          output_per_mtok: p.outputPerMTok,
          cache_read_per_mtok: p.cacheReadPerMTok,
          cache_write_per_mtok: p.cacheWritePerMTok,
          reasoning_per_mtok: p.reasoningPerMTok,
          valid_from: p.validFrom,
          created_at: p.createdAt,
          updated_at: p.updatedAt,
        },
      ],
    });
    await this.refresh();
  }
}

function fromInput(id: string, i: CustomPriceSpec, createdAt: number, now: number): CustomPrice {
  return {
    id,
    modelPattern: i.modelPattern,
    provider: i.provider ?? '',
    inputPerMTok: i.inputPerMTok,
    outputPerMTok: i.outputPerMTok,
    cacheReadPerMTok: i.cacheReadPerMTok ?? null,
    cacheWritePerMTok: i.cacheWritePerMTok ?? null,
    reasoningPerMTok: i.reasoningPerMTok ?? null,
    validFrom: i.validFrom ?? now,
    createdAt,
    updatedAt: now,
  };
}
