import { describe, expect, it } from 'vitest';
import { AlertRule, AlertRuleInput } from '@sightline/contract';
import { fieldsFromRule, formFieldOf, ruleFromFields } from './alert-form';

describe('alert form', () => {
  it('turns the "p95 of agent X above 2 s for 5 minutes → Slack" form into a valid rule', () => {
    const input = ruleFromFields({
      ...fieldsFromRule(),
      name: 'Slow checkout',
      agent: 'checkout',
      slackUrl: 'https://hooks.slack.com/services/T/B/x',
    });
    const rule = AlertRuleInput.parse(input);
    expect(rule).toMatchObject({
      name: 'Slow checkout',
      condition: { kind: 'latency', percentile: 'p95', mode: 'absolute', thresholdMs: 2000 },
      scope: { agent: 'checkout' },
      windowMinutes: 5,
      channels: [{ type: 'slack', url: 'https://hooks.slack.com/services/T/B/x' }],
    });
  });

  it('turns "mean helpfulness of agent X 20 % below its 7-day mean" into a valid score rule, and back', () => {
    const fields = {
      ...fieldsFromRule(),
      name: 'Helpfulness dropped',
      kind: 'score',
      scoreName: 'helpfulness',
      mode: 'baseline',
      dropPercent: '20',
      agent: 'support',
      webhookUrl: 'https://example.com/hook',
    };
    const rule = AlertRuleInput.parse(ruleFromFields(fields));
    expect(rule.condition).toEqual({ kind: 'score', name: 'helpfulness', mode: 'baseline', dropPercent: 20 });
    const stored = AlertRule.parse({
      ...rule,
      id: 'r1',
      channels: [{ type: 'webhook', url: 'https://example.com/hook', hasSecret: false }],
      createdAt: 0,
      updatedAt: 0,
      state: 'ok',
      states: [],
    });
    expect(fieldsFromRule(stored)).toMatchObject({ kind: 'score', scoreName: 'helpfulness', mode: 'baseline', dropPercent: '20' });
    expect(formFieldOf('condition.name', fields)).toBe('scoreName');
  });

  it('leaves empty fields out so the collector defaults apply, and keeps bad numbers for the collector to name', () => {
    const input = ruleFromFields({ name: 'x', kind: 'error_rate', thresholdPercent: 'lots', windowMinutes: '' }) as unknown as Record<
      string,
      unknown
    >;
    expect(input).not.toHaveProperty('windowMinutes');
    const parsed = AlertRuleInput.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['condition', 'thresholdPercent']);
  });

  it('round-trips a stored rule through the form', () => {
    const rule = AlertRule.parse({
      id: 'r1',
      name: 'Errors',
      description: '',
      condition: { kind: 'error_rate', thresholdPercent: 7 },
      scope: { service: 'shop', rootOnly: true },
      groupBy: 'agent',
      windowMinutes: 10,
      intervalSeconds: 30,
      minSamples: 3,
      forEvaluations: 1,
      resolveEvaluations: 4,
      hysteresisPercent: 5,
      channels: [{ type: 'webhook', url: 'http://127.0.0.1:9/h', hasSecret: true }],
      muted: true,
      createdAt: 1,
      updatedAt: 1,
      state: 'ok',
      states: [],
    });
    const back = AlertRuleInput.parse(ruleFromFields(fieldsFromRule(rule)));
    expect(back).toMatchObject({
      name: 'Errors',
      condition: rule.condition,
      scope: rule.scope,
      groupBy: 'agent',
      windowMinutes: 10,
      intervalSeconds: 30,
      minSamples: 3,
      forEvaluations: 1,
      resolveEvaluations: 4,
      hysteresisPercent: 5,
      muted: true,
    });
    // The secret is write-only: the form sends none and the collector keeps the stored one.
    expect(back.channels).toEqual([{ type: 'webhook', url: 'http://127.0.0.1:9/h' }]);
  });

  it('maps collector error fields to form fields', () => {
    expect(formFieldOf('condition.thresholdMs', {})).toBe('thresholdMs');
    expect(formFieldOf('scope.agent', {})).toBe('agent');
    expect(formFieldOf('channels.0.url', { slackUrl: 'x' })).toBe('slackUrl');
    expect(formFieldOf('channels.1.url', { webhookUrl: 'a', slackUrl: 'b' })).toBe('slackUrl');
    expect(formFieldOf('windowMinutes', {})).toBe('windowMinutes');
  });
});
