import { describe, expect, it } from 'vitest';
import type { PathStep } from '@sightline/contract';
import { toolSequence } from './session-path';

const step = (toolName: string, status: 'ok' | 'error' = 'ok'): PathStep => ({
  traceId: 't',
  spanId: toolName,
  startTime: '0',
  durationMs: 1,
  operation: toolName ? 'execute_tool' : 'chat',
  name: toolName,
  agentName: '',
  toolName,
  model: '',
  status,
});

describe('toolSequence', () => {
  it('folds repeated calls of one tool and keeps the order', () => {
    expect(toolSequence([step('search'), step(''), step('read'), step('read', 'error'), step('read'), step('write')])).toEqual([
      { tool: 'search', times: 1, failed: false },
      { tool: 'read', times: 3, failed: true },
      { tool: 'write', times: 1, failed: false },
    ]);
  });
});
