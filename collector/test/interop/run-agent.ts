/** Runs one agents/<convention>.ts program in its own Node process, bounded in time. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CONVENTION_AGENTS = ['genai', 'openinference', 'vercel-ai', 'traceloop', 'langfuse'] as const;
export type ConventionAgent = (typeof CONVENTION_AGENTS)[number];
/** Agents that are not a convention's fixture source: run by their own end-to-end tests. */
export type OtherAgent = 'genai-default-sdk';

const COLLECTOR_DIR = fileURLToPath(new URL('../../', import.meta.url));

export function runAgent(
  agent: ConventionAgent | OtherAgent,
  env: { sightlineUrl: string; openaiBaseURL: string; session?: string; otel?: Record<string, string> },
  timeoutMs = 60_000,
): Promise<string> {
  const file = fileURLToPath(new URL(`./agents/${agent}.ts`, import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', file],
      {
        cwd: COLLECTOR_DIR,
        timeout: timeoutMs,
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? '',
          SIGHTLINE_URL: env.sightlineUrl,
          OPENAI_BASE_URL: env.openaiBaseURL,
          AGENT_SESSION: env.session ?? '',
          OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
          TRACELOOP_TELEMETRY: 'false', // no usage pings from the Traceloop SDK
          ...env.otel,
        },
      },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`agent ${agent} failed: ${err.message}\n${stderr}`));
        else resolve(stdout + stderr);
      },
    );
  });
}
