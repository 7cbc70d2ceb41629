import type { AgentMessage } from './events';
import { decodeEvent, encodeEvent } from './wire-events';

/**
 * Splits a byte stream into newline-delimited JSON messages. Malformed lines are reported
 * through `onError` and skipped: one bad line never loses the rest of the stream.
 */
export class LineDecoder {
  private partial = '';
  /** A line longer than this is discarded (a runaway writer must not exhaust memory). */
  constructor(
    private readonly onMessage: (msg: AgentMessage) => void,
    private readonly onError: (reason: string) => void,
    private readonly maxLineBytes = 64 * 1024 * 1024,
  ) {}

  push(chunk: string): void {
    let start = 0;
    let nl = chunk.indexOf('\n');
    while (nl !== -1) {
      const line = this.partial + chunk.slice(start, nl);
      this.partial = '';
      this.parse(line);
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    this.partial += chunk.slice(start);
    if (this.partial.length > this.maxLineBytes) {
      this.onError(`discarded an over-long channel line (${this.partial.length} bytes)`);
      this.partial = '';
    }
  }

  /** Characters held of a line not yet ended. */
  get pendingLength(): number {
    return this.partial.length;
  }

  /** Call at end of stream: a final unterminated line is still parsed. */
  end(): void {
    if (this.partial.length) this.parse(this.partial);
    this.partial = '';
  }

  private parse(line: string): void {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.onError(`malformed channel line: ${line.slice(0, 120)}`);
      return;
    }
    if (!isAgentMessage(value)) {
      this.onError(`unknown channel message: ${line.slice(0, 120)}`);
      return;
    }
    if (value.type === 'batch') decodeEvents(value.events);
    this.onMessage(value);
  }
}

/** One channel line; a batch's events go positionally (wire-events.ts). */
export function encodeMessage(msg: AgentMessage): string {
  if (msg.type === 'batch') return JSON.stringify({ ...msg, events: msg.events.map(encodeEvent) }) + '\n';
  return JSON.stringify(msg) + '\n';
}

/**
 * Turns a batch's wire events into events, in place. One that does not decode becomes null, which the model
 * counts as malformed: a bad event never loses the rest of its batch.
 */
function decodeEvents(events: unknown[]): void {
  for (let i = 0; i < events.length; i++) events[i] = decodeEvent(events[i]);
}

const MESSAGE_TYPES = new Set(['hello', 'batch', 'agent-error', 'bye']);

/** Shallow structural check; events inside batches are validated by the model as it reduces them. */
export function isAgentMessage(v: unknown): v is AgentMessage {
  if (typeof v !== 'object' || v === null) return false;
  const type = (v as { type?: unknown }).type;
  if (typeof type !== 'string' || !MESSAGE_TYPES.has(type)) return false;
  if (type === 'batch') return Array.isArray((v as { events?: unknown }).events);
  return true;
}
