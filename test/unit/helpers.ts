/** Small builders of agent messages for the model tests (the wire shapes of src/protocol/events.ts). */
import type { AgentEvent, AgentMessage } from '../../src/protocol/events';

export function hello(startEpochMs = 1_000_000, runtime: 'node' | 'python' = 'node', pid = 4242): AgentMessage {
  return {
    type: 'hello', protocol: 2, token: 't', runtime, pid, ppid: 1, argv: ['node', 'app.js'], cwd: '/w',
    agentVersion: '0', runtimeVersion: 'v20', startEpochMs,
  };
}

/** The hello of a Python process `pid` started by `ppid`. */
export const processHello = (pid: number, ppid: number, argv: string[]): AgentMessage =>
  ({ ...hello(1_000_000, 'python', pid), ppid, argv } as AgentMessage);

let seq = 0;
export function batch(events: AgentEvent[], dropped = 0): AgentMessage {
  return { type: 'batch', seq: ++seq, dropped, events };
}

export const site = (id: number, line: number, fn = 'f', file = '/w/app.js'): AgentEvent => ({ e: 'site', id, file, line, fn });

export const create = (id: number, name: string, t: number, parent: number | null = null, siteId: number | null = null): AgentEvent => ({
  e: 'create', id, kind: 'promise', name, parent, site: siteId, t,
});
