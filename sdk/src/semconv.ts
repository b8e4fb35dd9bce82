/**
 * Every attribute and span name the SDK emits, in one place.
 *
 * The GenAI conventions are still "development" status in OpenTelemetry, so, as the OTel JS
 * project recommends, the names are copied here instead of imported from the incubating entry
 * point of @opentelemetry/semantic-conventions (which may rename them in a minor release).
 * Checked against semantic-conventions 1.45 (experimental_attributes).
 */

// ---- GenAI (development status) ----
export const GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
export const GEN_AI_AGENT_ID = 'gen_ai.agent.id';
export const GEN_AI_AGENT_DESCRIPTION = 'gen_ai.agent.description';
export const GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const GEN_AI_TOOL_TYPE = 'gen_ai.tool.type';
export const GEN_AI_TOOL_DESCRIPTION = 'gen_ai.tool.description';
export const GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
export const GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
export const GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';
export const GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
export const GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
export const GEN_AI_REQUEST_STREAM = 'gen_ai.request.stream';
export const GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
export const GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';

export const OPERATION_CHAT = 'chat';
export const OPERATION_INVOKE_AGENT = 'invoke_agent';
export const OPERATION_EXECUTE_TOOL = 'execute_tool';
/** Not in the GenAI conventions: one iteration of an agent loop. Sightline's own value. */
export const OPERATION_STEP = 'step';

// ---- session (development status) ----
export const SESSION_ID = 'session.id';

// ---- stable ----
export const ERROR_TYPE = 'error.type';
/** Fallback `error.type` when the thrown value is not an Error (per the error.type convention). */
export const ERROR_TYPE_OTHER = '_OTHER';
export const SERVICE_NAME = 'service.name';
export const SERVICE_VERSION = 'service.version';
export const DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';

// ---- Sightline's own ----
export const SIGHTLINE_STEP_INDEX = 'sightline.step.index';
export const SIGHTLINE_STEP_NAME = 'sightline.step.name';

/** The instrumentation scope name of every span the SDK starts. */
export const SCOPE_NAME = '@sightline/sdk';

/** Span names follow the GenAI convention: `{operation} {target}`. */
export const spanNames = {
  agent: (name: string) => `${OPERATION_INVOKE_AGENT} ${name}`,
  tool: (name: string) => `${OPERATION_EXECUTE_TOOL} ${name}`,
  /** Model calls: `chat {model}`, or `{operation} {model}` for text_completion, embeddings, ... */
  inference: (operation: string, model: string) => `${operation} ${model}`,
  step: (name: string | undefined, index: number) => (name ? `${OPERATION_STEP} ${name}` : `${OPERATION_STEP} ${index}`),
} as const;
