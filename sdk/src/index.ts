export { init, flush, shutdown, getStats, type Sightline, type ShutdownOptions } from './init.js';
export { resolveConfig, type InitOptions, type ResolvedConfig, type Logger } from './config.js';
export {
  session,
  agent,
  step,
  tool,
  llm,
  wrapTool,
  wrapAgent,
  contextWithSession,
  type AgentOptions,
  type StepOptions,
  type ToolOptions,
  type LlmOptions,
} from './spans.js';
export { recordSpan, type RecordSpanOptions } from './record-span.js';
export { SightlineSpan, type Usage } from './span-handle.js';
export { getSessionId } from './session.js';
export { SessionSpanProcessor } from './session-processor.js';
export { wrapOpenAI, type OpenAILike } from './openai.js';
export { redactPatterns, TRUNCATION_MARKER, REDACTION_FAILED, type Redactor, type ContentField } from './redact.js';
export type { ExportStats } from './export.js';
export * as semconv from './semconv.js';
