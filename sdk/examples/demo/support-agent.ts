/**
 * The simulated support agent, instrumented with the SDK the way a real one would be:
 * agent → step → llm + tool, with retries, failures and escalation.
 */
import { agent, llm, step, tool } from '../../src/index.js';
import { chat, toolCallId, type ModelTurn } from './fake-model.js';
import { finalAnswer, INTENT_WEIGHTS, plan, question, runTool, ToolError, type Intent, type Situation } from './world.js';

const AGENTS = {
  'support-agent': { style: 'openai', provider: 'openai', model: 'gpt-4o-mini' },
  'billing-agent': { style: 'anthropic', provider: 'anthropic', model: 'claude-3-5-haiku' },
} as const;

export interface TurnResult {
  intent: Intent;
  answer: string;
  spans: number;
}

/** One user message handled end to end: one trace. */
export async function handleTurn(s: Situation): Promise<TurnResult> {
  const intent = s.rng.weighted(INTENT_WEIGHTS);
  const name = intent === 'billing' || intent === 'refund' ? 'billing-agent' : 'support-agent';
  const cfg = AGENTS[name];
  const userText = question(s, intent);
  let spans = 1;
  let context = 180 + s.rng.int(0, 120);

  const callModel = (turn: ModelTurn, messages: unknown) => {
    spans += 1;
    return llm({ provider: cfg.provider, model: cfg.model, messages, temperature: 0.2 }, () => chat(s, cfg.style, cfg.model, turn));
  };

  const answer = await agent(name, async () => {
    await step('classify', async () => {
      spans += 1;
      await callModel({ text: intent, inputTokens: context }, [{ role: 'user', content: userText }]);
    });

    const tools = plan(s, intent);
    let escalated = false;
    for (let i = 0; i < tools.length && !escalated; i++) {
      const toolName = tools[i]!;
      await step(async () => {
        spans += 1;
        context += 120;
        const args = { query: userText, order: `#${s.rng.int(10000, 99999)}` };
        const response = await callModel({ tool: { name: toolName, args }, inputTokens: context }, [{ role: 'user', content: userText }]);
        // One retry on a tool failure, then escalate.
        for (let attempt = 0; attempt < 2; attempt++) {
          spans += 1;
          try {
            await tool(toolName, args, () => runTool(s, toolName, args), { callId: toolCallId(response) });
            return;
          } catch (e) {
            if (!(e instanceof Error) || attempt === 1) {
              escalated = true;
              spans += 1;
              await tool('escalate', { reason: String(e) }, () => runTool(s, 'escalate', {})).catch(() => undefined);
            }
          }
        }
      });
    }

    return step('respond', async () => {
      spans += 1;
      const text = finalAnswer(s, intent);
      await callModel({ text, inputTokens: context + 200 }, [{ role: 'user', content: userText }]);
      return text;
    });
  }).catch((e: unknown) => {
    // A model error (rate limit) ends the run; the trace shows it as an error.
    if (e instanceof ToolError) return 'tool failure';
    return `error: ${e instanceof Error ? e.name : 'unknown'}`;
  });

  return { intent, answer, spans };
}
