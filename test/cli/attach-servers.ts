/** The Python attach fixture server (fixtures/attach/py_server.py): start it, and ask it (it answers "pong <n>"). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { fixture } from './helpers';

const server = fixture('attach/py_server.py');

interface Server {
  child: ChildProcess;
  port: number;
  stop(): void;
}

export function startServer(python: string, env: Record<string, string> = {}, pythonArgs: string[] = []): Promise<Server> {
  const child = spawn(python, [...pythonArgs, server], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /READY (\d+)/.exec(out);
      if (m) ok({ child, port: Number(m[1]), stop: () => child.kill('SIGKILL') });
    });
    child.once('exit', (code) => fail(new Error(`server exited (${code}) before it was ready`)));
  });
}

export function ask(port: number): Promise<string> {
  return new Promise((ok, fail) => {
    const sock = createConnection({ port, host: '127.0.0.1' }, () => sock.write('ping\n'));
    let got = '';
    sock.setEncoding('utf8').on('data', (d: string) => (got += d));
    sock.on('end', () => ok(got.trim()));
    sock.on('error', fail);
    sock.setTimeout(10_000, () => fail(new Error('no answer')));
  });
}

