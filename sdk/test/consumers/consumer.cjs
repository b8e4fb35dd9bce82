// A CommonJS app using the built package (through the package's own "exports").
const { agent, init, llm, session, shutdown, step, tool } = require('@sightline/sdk');

init({ serviceName: 'cjs-consumer', endpoint: process.env.SINK_URL, scheduledDelayMs: 10 });
(async () => {
  const out = await session('cjs-session', () =>
    agent('cjs-agent', () =>
      step(async () => {
        const r = await llm({ provider: 'fake', model: 'm' }, async () => ({ usage: { input_tokens: 1, output_tokens: 2 } }));
        return tool('t', {}, () => r.usage.output_tokens * 21);
      }),
    ),
  );
  await shutdown();
  console.log(JSON.stringify({ out }));
})();
