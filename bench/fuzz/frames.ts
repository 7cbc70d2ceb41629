/**
 * Random and mutated channel frames for the decoder and model fuzzing (bench/fuzz/run.ts, test/unit/fuzz-ingest.test.ts):
 * mostly plausible messages of both runtimes (Node promises on threads, Python tasks on loops), each
 * possibly mutated: truncated, huge, wrong types, absurd values, unknown kinds, garbage, prototype keys.
 */
import { encodeMessage } from '../../src/protocol/framing';
import type { AgentEvent, AgentMessage, Runtime } from '../../src/protocol/events';

export { rng as prng } from '../memory/stream';

const ABSURD: unknown[] = [
  null, -1, 0, 1e308, -1e308, 2 ** 53 + 1, 1e-300, '', 'x'.repeat(5000), [], {}, true, false, '__proto__',
  { __proto__: { polluted: 1 } }, [[[[[]]]]], 'constructor', -0, 4294967296, '\u0000\ud800', [1, 'a', null],
];
const KINDS = ['task', 'promise', 'future', 'executor', 'timer', 'io', 'other', 'nonsense'];
const STATES = ['queued', 'pending', 'running', 'done', 'failed', 'cancelled', 'zombie'];

export class FrameMaker {
  private t = 0;
  constructor(private readonly rnd: () => number) {}

  private int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  hello(runtime: Runtime, pid: number): AgentMessage {
    return {
      type: 'hello', protocol: 2, token: 't', runtime, pid, ppid: 1, argv: [runtime, 'app'], cwd: '/w',
      agentVersion: '0', runtimeVersion: 'v', startEpochMs: 1_700_000_000_000 + this.int(1000),
      ...(runtime === 'node' && this.rnd() < 0.3 ? { threadId: this.int(4) } : {}),
    };
  }

  /** A plausible event of either runtime; ids mostly small so events refer to each other. */
  event(runtime: Runtime): AgentEvent {
    this.t += this.rnd() * 3;
    const t = this.t;
    const id = 1 + this.int(this.rnd() < 0.9 ? 300 : 1_000_000);
    const site = this.rnd() < 0.2 ? null : 1 + this.int(40);
    const kind = (runtime === 'python' ? this.pick(['task', 'future', 'executor', 'timer']) : this.pick(KINDS)) as 'task';
    switch (this.int(13)) {
      case 0: return { e: 'site', id: 1 + this.int(40), file: `/w/m${this.int(9)}.${runtime === 'node' ? 'js' : 'py'}`, line: this.int(500), fn: 'f' };
      case 1: return { e: 'loop', id: 1 + this.int(3), name: runtime === 'python' ? 'asyncio' : 'main', thread: 'MainThread', t };
      case 2: case 3: return { e: 'create', id, kind, name: runtime === 'python' ? `Task-${id}` : 'fn', parent: this.rnd() < 0.5 ? null : this.int(300), site, t, loop: 1 };
      case 4: return { e: 'name', id, name: `n${id}` };
      case 5: return { e: 'state', id, state: this.pick(STATES.slice(0, 3)) as 'running', t, ...(this.rnd() < 0.2 ? { thread: 'worker-1' } : {}) };
      case 6: return { e: 'await', id, on: [this.int(300), this.int(300)].slice(0, this.int(3)), site, t };
      case 7: return { e: 'step', id, t, dur: this.rnd() * 200 };
      case 8: return { e: 'end', id, state: this.pick(STATES.slice(3, 6)) as 'done', t, ...(this.rnd() < 0.3 ? { error: { type: 'E', message: 'm', stack: [1, 2] } } : {}) };
      case 9: return { e: 'rollup', kind, name: 'r', site, parent: null, count: this.int(50), failed: 0, cancelled: 0, totalMs: 3, t };
      case 10: return { e: 'finding', kind: this.pick(['blocking-call', 'never-awaited', 'deadlock', 'made-up']), message: 'm', t, site, task: id, dur: this.rnd() * 500, loop: 1, key: this.rnd() < 0.3 ? `k${this.int(20)}` : undefined } as AgentEvent;
      case 11: return { e: 'retract', key: `k${this.int(20)}` };
      default: return { e: 'paused', task: this.rnd() < 0.5 ? null : id, t };
    }
  }

  /** One frame (a line, newline-terminated unless the mutation truncated it). `mutate` in [0, 1]. */
  frame(runtime: Runtime, pid: number, mutate: number): string {
    const r = this.rnd();
    let msg: AgentMessage;
    if (r < 0.02) msg = this.hello(runtime, pid);
    else if (r < 0.04) msg = { type: 'agent-error', message: this.pick(['boom', 'x'.repeat(300)]) };
    else if (r < 0.05) msg = { type: 'bye', t: this.t, drained: this.rnd() < 0.5, exitCode: this.int(3) };
    else msg = { type: 'batch', seq: this.int(1e6), dropped: this.int(3), events: Array.from({ length: 1 + this.int(20) }, () => this.event(runtime)) };
    const line = encodeMessage(msg);
    return this.rnd() < mutate ? this.mutated(line) : line;
  }

  private mutated(line: string): string {
    switch (this.int(9)) {
      case 0: return line.slice(0, this.int(line.length)); // truncated: glues onto the next line
      case 1: return this.rnd() < 0.002 ? `{"type":"batch","events":[["create",1,"task","${'y'.repeat(2_000_000)}"]]}\n` : 'z'.repeat(this.int(20_000)) + '\n';
      case 2: { // a value somewhere replaced by an absurd one
        const value = JSON.parse(line) as Record<string, unknown>;
        const events = value.events as unknown[][] | undefined;
        if (events?.length) {
          const ev = events[this.int(events.length)];
          ev[this.int(ev.length + 2)] = this.pick(ABSURD);
        } else {
          value[this.pick(['type', 't', 'pid', 'startEpochMs', 'runtime', 'message', 'drained', 'events'])] = this.pick(ABSURD);
        }
        return JSON.stringify(value) + '\n';
      }
      case 3: return line.replace(/"(create|end|await|state|site|batch|bye)"/, '"unheard-of"');
      case 4: return Array.from({ length: this.int(200) }, () => String.fromCharCode(this.int(65536))).join('') + '\n';
      case 5: return `{"type":"batch","seq":1,"dropped":${this.pick(['-5', '1e308', '"many"', 'null'])},"events":${this.pick(['{}', '"x"', '[1,2,3]', '[[]]', '[null]', '[["end"]]'])}}\n`;
      case 6: return `{"__proto__":{"type":"batch"},"type":"batch","events":[["create",{"__proto__":1},"task","n",null,null,1]],"constructor":1}\n`;
      case 7: return '['.repeat(this.int(20_000)) + '\n';
      default: return line.replace(/[0-9]+/g, () => this.pick(['-1', '1e400', '0.5', '9007199254740993', 'NaN']));
    }
  }
}
