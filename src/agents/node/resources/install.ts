/**
 * Resource tracking by wrapping public APIs and diagnostics_channel events (see timers.ts for why not
 * async_hooks). Each installer is shielded: one that fails is reported and the others still run.
 */
import { installAbortCalls } from '../abort-call';
import { syncBuiltinESMExports } from 'node:module';
import timersPromises = require('node:timers/promises');
import events = require('node:events');
import { shielded } from '../guard';
import type { Publisher } from '../publisher';
import { installDns } from './dns';
import { installFetch } from './fetch';
import { installFs } from './fs';
import { installNetHttp } from './net-http';
import { whenLoaded } from './lazy-builtins';
import { installChildExits } from './child-exits';
import { installChildProcesses, installWorkers } from './processes';
import { wrapPromiseApis } from './promise-apis';
import { installCrypto, installZlib } from './threadpool';
import { installTimers } from './timers';
import { setPublisher } from './track';

export function installResources(publisher: Publisher): void {
  setPublisher(publisher);
  shielded('install timers', installTimers);
  shielded('install timers/promises', () => wrapPromiseApis(timersPromises, 'timers/promises', 'timer', ['setTimeout', 'setImmediate']));
  shielded('install fs', installFs);
  whenLoaded(['dns', 'dns/promises'], 'install dns', installDns);
  whenLoaded(['crypto'], 'install crypto', installCrypto);
  whenLoaded(['zlib'], 'install zlib', installZlib);
  // events.once(): a promise waiting for an event that may never come (shown, so pending-at-exit can name it).
  shielded('install events.once', () => wrapPromiseApis(events, 'events', 'other', ['once']));
  whenLoaded(['net', 'http', 'https', 'tls', '_http_client', '_http_server'], 'install net/http', installNetHttp);
  shielded('install fetch', installFetch);
  shielded('install AbortController', installAbortCalls);
  whenLoaded(['child_process'], 'install child processes', installChildProcesses);
  whenLoaded(['child_process'], 'install child exits', () => installChildExits(publisher));
  shielded('install worker threads', installWorkers);
  // ESM programs import builtins' named exports: make them see the wrapped functions.
  shielded('install esm exports', syncBuiltinESMExports);
}
