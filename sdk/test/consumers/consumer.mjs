// An ESM app using the built package (through the package's own "exports").
import { agent, init, llm, session, shutdown, step, tool } from '@sightline/sdk';

init({ serviceName: 'esm-consumer', endpoint: process.env.SINK_URL, scheduledDelayMs: 10 });
const out = await session('esm-session', () =>
  agent('esm-agent', () =>
    step(async () => {
      const r = await llm({ provider: 'fake', model: 'm' }, async () => ({ usage: { input_tokens: 1, output_tokens: 2 } }));
      return tool('t', {}, () => r.usage.output_tokens * 21);
    }),
  ),
);
await shutdown();
console.log(JSON.stringify({ out }));
