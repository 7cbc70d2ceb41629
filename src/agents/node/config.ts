/** The agent's settings: the launcher's AgentConfig (JSON in ASYNC_INSPECTOR_CONFIG) with defaults applied. */
import { ENV, type AgentConfig } from '../../protocol/events';

export interface AgentSettings {
  channel: string;
  token: string;
  flushMs: number;
  stackCapturesPerSec: number;
  blockThresholdMs: number;
  /** Loaded into a running program by `async-inspector attach` (ASYNC_INSPECTOR_ATTACH=1). */
  attached: boolean;
  /** Child processes inherit the agent (AgentConfig.traceChildren; default true). */
  traceChildren: boolean;
}

/** Undefined when the launcher did not set the channel: then the agent does nothing at all. */
export function readSettings(env: NodeJS.ProcessEnv): AgentSettings | undefined {
  const channel = env[ENV.channel];
  const token = env[ENV.token];
  if (!channel || !token) return undefined;
  let config: AgentConfig = {};
  try {
    const parsed: unknown = JSON.parse(env[ENV.config] || '{}');
    if (parsed && typeof parsed === 'object') config = parsed as AgentConfig;
  } catch {
    // A malformed config falls back to the defaults; the program must still run.
  }
  return {
    channel,
    token,
    flushMs: positive(config.flushMs, 50),
    stackCapturesPerSec: positive(config.stackCapturesPerSec, 2000),
    blockThresholdMs: positive(config.blockThresholdMs, 100),
    attached: env.ASYNC_INSPECTOR_ATTACH === '1',
    traceChildren: config.traceChildren !== false,
  };
}

function positive(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
}
