/** The collector's logger: one line per event on stderr, levels filtered by SIGHTLINE_LOG_LEVEL. */
import { clickhouseErrorCode, isDataError } from './storage/insert-errors.js';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

/**
 * An error as a log field: its message, except where ClickHouse refused data for its content: the
 * message of such an error quotes the rows it could not read (prompts, outputs, user text), which
 * must not reach a log that more people read than the data. Its code says what went wrong; the
 * message itself only at debug level, for the person debugging on their own machine.
 */
export function errorField(error: Error, withData = false): string {
  if (withData || !isDataError(error)) return error.message;
  return `ClickHouse refused the data (code ${clickhouseErrorCode(error)}; message withheld: it quotes row content, shown at log level debug)`;
}

export function createLogger(level: LogLevel, name = 'sightline', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = LEVELS.indexOf(level);
  const withData = level === 'debug';
  const at = (l: Exclude<LogLevel, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (LEVELS.indexOf(l) < min) return;
    const extra = fields ? ' ' + JSON.stringify(fields, (_k, v) => (v instanceof Error ? errorField(v, withData) : v)) : '';
    write(`${new Date().toISOString()} ${l.toUpperCase().padEnd(5)} [${name}] ${message}${extra}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = createLogger('silent');
