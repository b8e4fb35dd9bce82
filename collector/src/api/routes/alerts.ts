/** Alert rules (create, edit, mute, delete, send test), their transition history and the delivery log. */
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  AlertDeliveryList,
  AlertDeliveryQuery,
  AlertHistory,
  AlertHistoryQuery,
  AlertIdParam,
  AlertMuteBody,
  AlertRule,
  AlertRuleInput,
  AlertRuleList,
  AlertTestResult,
  ErrorBody,
  type AlertStateName,
} from '@sightline/contract';
import { projectOf, type AuthEnv } from '../../auth/context.js';
import type { Alerts } from '../../alerts/scheduler.js';
import { recordAudit, type AuditLog, type AuditRecord } from '../../auth/audit.js';
import type { StoredRule } from '../../alerts/rules.js';
import { publicChannels } from '../../alerts/rules.js';
import type { ScopeState } from '../../alerts/state-machine.js';
import { publicState } from '../../alerts/states.js';
import { SightlineError } from '../../errors.js';
import type { Context } from 'hono';
import { guard, guardedResponses, json, router } from './common.js';
import { jsonBodyChecks } from './json-body.js';

/** A rule is a few hundred bytes; anything near this is not a rule. */
const MAX_BODY_BYTES = 64 * 1024;

const SEVERITY: AlertStateName[] = ['ok', 'resolved', 'pending', 'firing'];

function toApi(rule: StoredRule, states: Map<string, ScopeState> | undefined): AlertRule {
  const { channels: _secrets, ...spec } = rule.spec;
  const list = [...(states?.entries() ?? [])].filter(([, s]) => s.lastEvaluatedAt > 0).map(([k, s]) => publicState(k, s));
  const state = list.reduce<AlertStateName>((worst, s) => (SEVERITY.indexOf(s.state) > SEVERITY.indexOf(worst) ? s.state : worst), 'ok');
  return {
    id: rule.id,
    ...spec,
    channels: publicChannels(rule.spec),
    createdAt: rule.createdAt,
    updatedAt: rule.updatedAt,
    state,
    states: list,
  };
}

const body = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const notFound = { 404: json(ErrorBody, 'No such rule') };
const bodyErrors = {
  413: json(ErrorBody, `The body is over ${MAX_BODY_BYTES} bytes (code payload_too_large)`),
  415: json(ErrorBody, 'The content type is not application/json (code unsupported_media_type)'),
};

export function alertRoutes(alerts: Alerts, audit?: AuditLog) {
  /** Every rule change is in the audit log, by whoever made it, in the project it was made in. */
  const audited = (c: Context<AuthEnv>, r: Omit<AuditRecord, 'projectId'>) =>
    recordAudit(audit, c.get('principal'), { projectId: projectOf(c), ...r });
  const withStates = async (rule: StoredRule) => toApi(rule, (await alerts.states.load(rule.projectId, [rule.id])).get(rule.id));
  const app = router();
  const jsonBody = jsonBodyChecks(app, '/alerts/*', MAX_BODY_BYTES);
  app.post('/alerts/rules', jsonBody);
  app.put('/alerts/rules/:id', jsonBody);
  app.post('/alerts/rules/:id/mute', jsonBody);
  return app
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/alerts/rules',
        summary: 'Every alert rule with its current state per scope',
        responses: { 200: json(AlertRuleList, 'The rules'), ...guardedResponses },
      }),
      async (c) => {
        const projectId = projectOf(c);
        const [rules, states] = await Promise.all([alerts.rules.list(projectId), alerts.states.load(projectId)]);
        return c.json({ rules: rules.map((r) => toApi(r, states.get(r.id))) }, 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('write'),
        method: 'post',
        path: '/alerts/rules',
        summary: 'Create an alert rule',
        request: body(AlertRuleInput),
        responses: { 201: json(AlertRule, 'The new rule'), ...bodyErrors, ...guardedResponses },
      }),
      async (c) => {
        const rule = await alerts.rules.create(projectOf(c), c.req.valid('json'));
        alerts.evaluator.wake();
        await audited(c, { action: 'rule.create', target: rule.id, details: { name: rule.spec.name } });
        return c.json(toApi(rule, undefined), 201);
      },
    )
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/alerts/rules/{id}',
        summary: 'One alert rule',
        request: { params: AlertIdParam },
        responses: { 200: json(AlertRule, 'The rule'), ...notFound, ...guardedResponses },
      }),
      async (c) => c.json(await withStates(await alerts.rules.get(projectOf(c), c.req.valid('param').id)), 200),
    )
    .openapi(
      createRoute({
        ...guard('write'),
        method: 'put',
        path: '/alerts/rules/{id}',
        summary: 'Replace an alert rule (a webhook sent without `secret` keeps the stored one)',
        request: { params: AlertIdParam, ...body(AlertRuleInput) },
        responses: { 200: json(AlertRule, 'The updated rule'), ...notFound, ...bodyErrors, ...guardedResponses },
      }),
      async (c) => {
        const rule = await alerts.rules.update(projectOf(c), c.req.valid('param').id, c.req.valid('json'));
        alerts.evaluator.wake();
        await audited(c, { action: 'rule.update', target: rule.id, details: { name: rule.spec.name } });
        return c.json(await withStates(rule), 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('write'),
        method: 'post',
        path: '/alerts/rules/{id}/mute',
        summary: 'Mute or unmute: a muted rule keeps its state and history but sends nothing',
        request: { params: AlertIdParam, ...body(AlertMuteBody) },
        responses: { 200: json(AlertRule, 'The updated rule'), ...notFound, ...bodyErrors, ...guardedResponses },
      }),
      async (c) => {
        const { muted } = c.req.valid('json');
        const rule = await alerts.rules.setMuted(projectOf(c), c.req.valid('param').id, muted);
        await audited(c, { action: 'rule.mute', target: rule.id, details: { name: rule.spec.name, muted } });
        return c.json(await withStates(rule), 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('write'),
        method: 'delete',
        path: '/alerts/rules/{id}',
        summary: 'Delete an alert rule (its history and delivery log stay)',
        request: { params: AlertIdParam },
        responses: { 200: json(z.object({ deleted: z.literal(true) }), 'Deleted'), ...notFound, ...guardedResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const rule = await alerts.rules.get(projectOf(c), id);
        await alerts.rules.delete(projectOf(c), id);
        await audited(c, { action: 'rule.delete', target: id, details: { name: rule.spec.name } });
        return c.json({ deleted: true as const }, 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('write'),
        method: 'post',
        path: '/alerts/rules/{id}/test',
        summary: "Send a test notification to each of the rule's channels now; answers with the delivery outcome",
        request: { params: AlertIdParam },
        responses: { 200: json(AlertTestResult, 'One delivery per channel'), ...notFound, ...guardedResponses },
      }),
      async (c) => {
        const projectId = projectOf(c);
        const rule = await alerts.rules.get(projectId, c.req.valid('param').id);
        if (rule.spec.channels.length === 0)
          throw new SightlineError('invalid_parameter', 'channels: the rule has no channel to test', { field: 'channels' });
        const now = Date.now();
        const ids = await alerts.deliveries.enqueue(projectId, alerts.evaluator.testNotifications(rule, now), now);
        await alerts.deliveries.processDue(now);
        return c.json({ deliveries: await alerts.deliveries.byIds(projectId, ids) }, 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/alerts/history',
        summary: 'State transitions, newest first, with the value and threshold of each',
        request: { query: AlertHistoryQuery },
        responses: { 200: json(AlertHistory, 'Transitions'), ...guardedResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        return c.json({ transitions: await alerts.states.history(projectOf(c), q.ruleId, q.limit) }, 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/alerts/deliveries',
        summary: 'The notification delivery log, newest first',
        request: { query: AlertDeliveryQuery },
        responses: { 200: json(AlertDeliveryList, 'Deliveries'), ...guardedResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        return c.json({ deliveries: await alerts.deliveries.list(projectOf(c), q.ruleId, q.limit) }, 200);
      },
    );
}
