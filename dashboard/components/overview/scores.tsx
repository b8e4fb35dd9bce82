import { Card } from '@/components/ui/card';
import { WidgetError } from '@/components/ui/widget-error';
import { ChartLegend, TimeSeriesChart, type SeriesSpec } from '@/components/charts/time-series-chart';
import { formatBucketWidth } from '@/lib/buckets';
import { formatCount } from '@/lib/format';
import { getScoreSummary } from '@/lib/queries';
import { formatScoreNumber, numericSeries, scoreChartPoints, scoreKey } from '@/lib/scores';
import { href, type Scope } from '@/lib/search-params';
import Link from 'next/link';

/** Series colours: the theme's chart colours, then mid tones that read on light and dark. */
const COLORS = ['var(--chart-2)', 'var(--chart-3)', 'var(--bar-tool)', 'var(--critical)', 'var(--chart-1)', 'var(--bar-agent)'];
/** More lines than this is noise: the table still lists every name. */
const MAX_LINES = COLORS.length;

/**
 * Scores over the range: each name's mean per bucket, and per name its overall mean, count and
 * most frequent labels (label-only scores have no line). Scores are per project, not per
 * service: the service, agent and environment filters do not narrow them.
 */
export async function OverviewScores({ scope, bucket }: { scope: Scope; bucket: number }) {
  const res = await getScoreSummary(scope.range.from, scope.range.to, bucket);
  if (!res.ok)
    return (
      <Card title="Scores">
        <WidgetError error={res.error} />
      </Card>
    );
  const { series: all, bucketSeconds } = res.data;
  if (all.length === 0)
    return (
      <Card title="Scores" hint="feedback, reviews and evaluations">
        <div className="empty" role="status" data-testid="scores-empty">
          <h3>No scores in this time range</h3>
          <div>
            Send your users&apos; feedback or an evaluator&apos;s verdicts with <span className="mono">POST /api/scores</span>, or emit the
            OpenTelemetry <span className="mono">gen_ai.evaluation.result</span> event on the evaluated span:
          </div>
          <pre>{`curl -X POST $SIGHTLINE_URL/api/scores -H 'content-type: application/json' \\
  -d '{"traceId":"<32 hex>","name":"helpfulness","value":0.9,"source":"user_feedback"}'`}</pre>
        </div>
      </Card>
    );
  const lines = numericSeries(res.data).slice(0, MAX_LINES);
  const specs: SeriesSpec[] = lines.map((s, i) => ({ key: scoreKey(i), label: s.name, color: COLORS[i]!, kind: 'line' }));
  const points = scoreChartPoints(lines, scope.range.from, scope.range.to, bucketSeconds);
  const filtered = scope.service || scope.agent || scope.environment;
  return (
    <Card
      title="Scores"
      hint={`mean per ${formatBucketWidth(bucketSeconds)}${filtered ? ' · all services, agents and environments' : ''}`}
      flush
    >
      <div className="scores-card" data-testid="scores-card">
        <div>
          {lines.length > 0 ? (
            <>
              <div style={{ padding: '0 16px 4px' }}>
                <ChartLegend series={specs} />
              </div>
              <TimeSeriesChart
                data={points}
                series={specs}
                format="number"
                bucketSeconds={bucketSeconds}
                rangeMs={scope.range.to - scope.range.from}
              />
            </>
          ) : (
            <div className="empty" style={{ padding: 24 }}>
              Only labels in this range: no numeric scores to chart.
            </div>
          )}
        </div>
        <div className="table-wrap">
          <table className="data fit" data-testid="score-names">
            <colgroup>
              <col />
              <col className="num" />
              <col className="num" />
              <col style={{ width: '35%' }} />
            </colgroup>
            <thead>
              <tr>
                <th>Name</th>
                <th className="num">Mean</th>
                <th className="num">Count</th>
                <th>Top labels</th>
              </tr>
            </thead>
            <tbody>
              {all.map((s) => (
                <tr key={s.name} data-testid="score-name-row">
                  <td className="truncate" title={s.name}>
                    <Link href={href('/traces', { scoreName: s.name })}>{s.name}</Link>
                  </td>
                  <td className="num" data-testid="score-mean">
                    {formatScoreNumber(s.mean)}
                  </td>
                  <td className="num">{formatCount(s.count + s.labelled)}</td>
                  <td className="truncate" title={s.labels.map((l) => `${l.label} (${l.count})`).join(', ')}>
                    {s.labels
                      .slice(0, 3)
                      .map((l) => `${l.label} ${l.count}`)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </Card>
  );
}
