/**
 * Prices model-call spans at ingest, after normalization. Precedence: a cost the instrumentation
 * reported (set by normalize/usage-details.ts, kept as is) > the project's custom price > the price
 * database. A call none of them prices keeps cost_source '' and zero costs: unpriced, counted as
 * such in the summaries and rollups, never shown as $0.
 *
 * The model priced is the response model when known (it names the dated variant that ran), else
 * the request model. Both lookups are cached per model name (price-database.ts, custom-prices.ts).
 */
import { MODEL_CALL_OPERATIONS, type SpanRow } from '../storage/span-row.js';
import { customCost, type CustomPriceBook } from './custom-prices.js';
import { PriceDatabase } from './price-database.js';
import type { Cost, CostSource, ModelUsage } from './usage.js';

const MODEL_CALLS: ReadonlySet<string> = new Set(MODEL_CALL_OPERATIONS);

/** What a row prices by: its model, provider, start and token counts. */
export interface PricedCall {
  projectId: string;
  provider: string;
  requestModel: string;
  responseModel: string;
  startMs: number;
  usage: ModelUsage;
}

export class SpanPricer {
  constructor(
    private readonly custom: CustomPriceBook | undefined,
    private readonly database = new PriceDatabase(),
  ) {}

  /** The cost of one call from custom prices or the database; undefined when neither prices it. */
  quote(call: PricedCall): { cost: Cost; source: Exclude<CostSource, 'reported' | ''> } | undefined {
    const models =
      call.responseModel && call.responseModel !== call.requestModel ? [call.responseModel, call.requestModel] : [call.requestModel];
    for (const model of models) {
      if (!model) continue;
      const custom = this.custom?.priceFor(call.projectId, call.provider, model, call.startMs);
      if (custom) return { cost: customCost(custom, call.usage), source: 'custom' };
    }
    for (const model of models) {
      if (!model) continue;
      const cost = this.database.price(call.provider, model, call.usage, call.startMs);
      if (cost) return { cost, source: 'database' };
    }
    return undefined;
  }

  /** Prices every model-call row of `projectId` that no reported cost priced, in place. */
  priceRows(rows: SpanRow[], projectId: string): void {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (row.cost_source !== '' || !MODEL_CALLS.has(row.operation)) continue;
      const q = this.quote({
        projectId,
        provider: row.provider,
        requestModel: row.request_model,
        responseModel: row.response_model,
        // ms precision is enough to pick a price by date; the row keeps its ns time.
        startMs: Number(row.start_time.slice(0, -6) || '0'),
        usage: {
          input: row.input_tokens,
          output: row.output_tokens,
          cacheRead: row.cache_read_tokens,
          cacheWrite: row.cache_write_tokens,
          reasoning: row.reasoning_tokens,
        },
      });
      if (!q) continue;
      row.input_cost = q.cost.input;
      row.output_cost = q.cost.output;
      row.total_cost = q.cost.total;
      row.cost_source = q.source;
    }
  }
}
