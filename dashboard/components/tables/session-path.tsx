import Link from 'next/link';
import type { PathStep, TraceSummary } from '@sightline/contract';
import { Marked } from '@/components/ui/marked';
import { Time } from '@/components/ui/time';
import { spanCategory } from '@/components/waterfall/span-kind';
import { formatDuration, nanosToMs } from '@/lib/format';
import { href } from '@/lib/search-params';

const LETTER = { agent: 'A', llm: 'M', tool: 'T', other: '•' } as const;

/** The order of tool calls, deduplicated when repeated back to back: "search → read ×3 → write". */
export function toolSequence(path: readonly PathStep[]): Array<{ tool: string; times: number; failed: boolean }> {
  const out: Array<{ tool: string; times: number; failed: boolean }> = [];
  for (const step of path) {
    if (!step.toolName) continue;
    const last = out[out.length - 1];
    if (last && last.tool === step.toolName) {
      last.times++;
      last.failed ||= step.status === 'error';
    } else {
      out.push({ tool: step.toolName, times: 1, failed: step.status === 'error' });
    }
  }
  return out;
}

export function ToolFlow({ path }: { path: PathStep[] }) {
  const seq = toolSequence(path);
  if (seq.length === 0) return <div className="flow faint">No tool calls in this session.</div>;
  return (
    <div className="flow" data-testid="tool-flow">
      {seq.map((s, i) => (
        <span key={i} style={{ display: 'contents' }}>
          {i > 0 && (
            <span className="arrow" aria-hidden>
              →
            </span>
          )}
          <span className="chip" style={s.failed ? { color: 'var(--error)', borderColor: 'var(--error)' } : undefined}>
            {s.tool}
            {s.times > 1 ? ` ×${s.times}` : ''}
          </span>
        </span>
      ))}
    </div>
  );
}

/**
 * Every step the agent took, in order, grouped by the trace (agent run) it belongs to. Opened from
 * a search, the links carry `q` and the step names mark its words (`needles`).
 */
export function SessionPath({
  path,
  traces,
  q,
  needles = [],
}: {
  path: PathStep[];
  traces: TraceSummary[];
  q?: string;
  needles?: readonly string[];
}) {
  const names = new Map(traces.map((t) => [t.traceId, t.rootName]));
  return (
    <ol className="path" data-testid="session-path">
      {path.map((step, i) => {
        const category = spanCategory(step.operation);
        const separator = i === 0 || path[i - 1]!.traceId !== step.traceId;
        const label = step.toolName || step.model || step.agentName || step.name;
        return (
          <li key={`${step.traceId}/${step.spanId}`} style={{ display: 'contents' }}>
            {separator && (
              <span className="trace-sep">
                <Link href={href(`/traces/${step.traceId}`, { q })}>
                  <Marked text={names.get(step.traceId) ?? step.traceId.slice(0, 12)} needles={needles} />
                </Link>
              </span>
            )}
            <Link href={href(`/traces/${step.traceId}`, { span: step.spanId, q })} style={{ color: 'inherit' }} className="path-step">
              <span className="muted" style={{ fontSize: 12 }}>
                <Time ms={nanosToMs(step.startTime)} withDate={false} />
              </span>
              <span className={`dot ${category}${step.status === 'error' ? ' error' : ''}`} aria-hidden>
                {LETTER[category]}
              </span>
              <span style={{ minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                <b>
                  <Marked text={label} needles={needles} />
                </b>{' '}
                <span className="faint">
                  <Marked text={step.operation || step.name} needles={needles} />
                </span>
                {step.status === 'error' && <span style={{ color: 'var(--error)' }}> · failed</span>}
              </span>
              <span className="muted" style={{ fontSize: 12 }}>
                {formatDuration(step.durationMs)}
              </span>
            </Link>
          </li>
        );
      })}
    </ol>
  );
}
