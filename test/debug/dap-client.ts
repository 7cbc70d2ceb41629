/**
 * A minimal Debug Adapter Protocol client for tests: spawns an adapter on stdio (here `python -m
 * debugpy.adapter`), frames messages with Content-Length, matches responses, waits for events. The reverse
 * request runInTerminal (`console: integratedTerminal`, the Python Debugger's default) is served as a terminal
 * would: the command is started with the given cwd and environment, its output kept in `output`.
 */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';

export type DapMessage = { seq: number; type: string; command?: string; event?: string; success?: boolean; message?: string; body?: Record<string, unknown>; request_seq?: number };

export class DapClient {
  private seq = 1;
  private buffer = Buffer.alloc(0);
  private readonly waiting = new Map<number, { ok: (m: DapMessage) => void; fail: (e: Error) => void }>();
  private readonly events: DapMessage[] = [];
  private readonly eventWaiters: Array<{ test: (m: DapMessage) => boolean; ok: (m: DapMessage) => void }> = [];
  /** What the adapter sent as `output` events (but telemetry), in order. */
  output = '';
  stderr = '';
  private readonly terminals: ChildProcess[] = [];

  private constructor(private readonly proc: ChildProcessWithoutNullStreams) {
    proc.stdout.on('data', (chunk: Buffer) => this.read(chunk));
    proc.stderr.setEncoding('utf8').on('data', (t: string) => (this.stderr += t));
    proc.on('exit', () => {
      for (const w of this.waiting.values()) w.fail(new Error(`debug adapter exited\n${this.stderr}`));
      this.waiting.clear();
    });
  }

  static start(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): DapClient {
    return new DapClient(spawn(command, args, { stdio: 'pipe', env }));
  }

  request(command: string, args: Record<string, unknown> = {}): Promise<DapMessage> {
    const seq = this.seq++;
    this.write({ seq, type: 'request', command, arguments: args });
    return new Promise((ok, fail) => this.waiting.set(seq, {
      ok: (m) => (m.success ? ok(m) : fail(new Error(`${command} failed: ${m.message ?? ''} ${JSON.stringify(m.body ?? {})}`))),
      fail,
    }));
  }

  /** The first event named `name` (matching `test`) from now on, or one already received and not yet taken. */
  event(name: string, test: (m: DapMessage) => boolean = () => true, timeoutMs = 60_000): Promise<DapMessage> {
    const match = (m: DapMessage) => m.event === name && test(m);
    const i = this.events.findIndex(match);
    if (i >= 0) return Promise.resolve(this.events.splice(i, 1)[0]);
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no ${name} event within ${timeoutMs} ms\n${this.stderr}`)), timeoutMs);
      this.eventWaiters.push({ test: match, ok: (m) => { clearTimeout(timer); ok(m); } });
    });
  }

  kill(): void {
    this.proc.kill('SIGKILL');
    for (const t of this.terminals) t.kill('SIGKILL');
  }

  private write(msg: Record<string, unknown>): void {
    const json = Buffer.from(JSON.stringify(msg), 'utf8');
    this.proc.stdin.write(`Content-Length: ${json.length}\r\n\r\n`);
    this.proc.stdin.write(json);
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const msg = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as DapMessage;
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.dispatch(msg);
    }
  }

  private dispatch(msg: DapMessage): void {
    if (msg.type === 'response') {
      const w = this.waiting.get(msg.request_seq!);
      this.waiting.delete(msg.request_seq!);
      w?.ok(msg);
    } else if (msg.type === 'event') {
      if (msg.event === 'output' && msg.body?.category !== 'telemetry') this.output += String(msg.body?.output ?? '');
      const i = this.eventWaiters.findIndex((w) => w.test(msg));
      if (i >= 0) this.eventWaiters.splice(i, 1)[0].ok(msg);
      else this.events.push(msg);
    } else if (msg.type === 'request' && msg.command === 'runInTerminal') {
      const args = (msg as { arguments?: { args: string[]; cwd?: string; env?: Record<string, string | null> } }).arguments!;
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const [k, v] of Object.entries(args.env ?? {})) {
        if (v === null) delete env[k];
        else env[k] = v;
      }
      const term = spawn(args.args[0], args.args.slice(1), { cwd: args.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      this.terminals.push(term);
      term.stdout!.setEncoding('utf8').on('data', (t: string) => (this.output += t));
      term.stderr!.setEncoding('utf8').on('data', (t: string) => (this.stderr += t));
      this.write({ seq: this.seq++, type: 'response', request_seq: msg.seq, command: msg.command, success: true, body: { processId: term.pid } });
    } else if (msg.type === 'request') {
      this.write({ seq: this.seq++, type: 'response', request_seq: msg.seq, command: msg.command, success: false, message: 'not supported by the test client' });
    }
  }
}
