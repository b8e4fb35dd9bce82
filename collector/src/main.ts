/** The collector process: config from the environment, graceful drain on SIGTERM/SIGINT. */
import { ConfigError, loadConfig } from './config.js';
import { startCollector } from './index.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  const collector = await startCollector(config, log);
  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) {
      log.warn('second signal: exiting without draining; the write-ahead log keeps acknowledged spans');
      process.exit(1);
    }
    log.info('draining before exit', { signal });
    collector.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error('shutdown failed', { error: e });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  process.stderr.write(`sightline collector failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
