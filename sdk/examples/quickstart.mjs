import { init, session, agent, step, tool, llm, shutdown } from '@sightline/sdk';

init({ serviceName: 'my-agent' }); // http://localhost:4318 unless OTEL_EXPORTER_OTLP_ENDPOINT is set

const reply = await session('user-42', () =>
  agent('support-agent', () =>
    step(async () => {
      const order = await tool('lookup_order', { id: 'A1' }, async () => ({ status: 'shipped' }));
      return llm({ provider: 'openai', model: 'gpt-4o-mini' }, async () => `Your order has ${order.status}.`);
    }),
  ),
);
console.log(reply);
await shutdown(); // flushes; bounded in time even if the collector is down
