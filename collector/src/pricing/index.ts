/**
 * Cost in dollars: the custom price store and the span pricer one collector shares between ingest
 * (OTLP receivers) and the API (custom prices, recompute).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from '../logger.js';
import { CustomPriceStore } from './custom-prices.js';
import { SpanPricer } from './pricer.js';

export { CustomPriceStore } from './custom-prices.js';
export { SpanPricer } from './pricer.js';

/** How often prices written by other collectors on the same ClickHouse are read in. */
const REFRESH_MS = 30_000;

export interface Pricing {
  prices: CustomPriceStore;
  pricer: SpanPricer;
  stop(): void;
}

/** Loads the custom prices and keeps them fresh; a failed refresh keeps the prices held. */
export async function startPricing(client: ClickHouseClient, logger?: Logger): Promise<Pricing> {
  const prices = new CustomPriceStore(client);
  await prices.refresh();
  const timer = setInterval(() => {
    prices.refresh().catch((error: unknown) => logger?.warn('custom prices refresh failed; keeping the prices held', { error }));
  }, REFRESH_MS);
  timer.unref();
  return { prices, pricer: new SpanPricer(prices.book), stop: () => clearInterval(timer) };
}
