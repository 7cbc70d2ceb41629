/**
 * Resource tracking by wrapping public APIs and diagnostics_channel events (see timers.ts for why not
 * async_hooks). Each installer is shielded: one that fails is reported and the others still run.
 */
import { syncBuiltinESMExports } from 'node:module';
import timersPromises = require('node:timers/promises');
import dns = require('node:dns');
import events = require('node:events');
import { shielded } from '../guard';
import type { Publisher } from '../publisher';
import { installDns } from './dns';
import { installFetch } from './fetch';
import { installFs } from './fs';
import { installNetHttp } from './net-http';
import { installProcesses } from './processes';
import { wrapPromiseApis } from './promise-apis';
import { installThreadpool } from './threadpool';
import { installTimers } from './timers';
import { setPublisher } from './track';

export function installResources(publisher: Publisher): void {
  setPublisher(publisher);
  shielded('timers', installTimers);
  shielded('timers/promises', () => wrapPromiseApis(timersPromises, 'timers/promises', 'timer', ['setTimeout', 'setImmediate']));
  shielded('fs', installFs);
  shielded('dns', () => wrapPromiseApis(dns.promises, 'dns.promises', 'io', ['lookup', 'resolve', 'resolve4', 'resolve6', 'reverse']));
  shielded('dns callbacks', installDns);
  shielded('crypto/zlib', installThreadpool);
  // events.once(): a promise waiting for an event that may never come (shown, so pending-at-exit can name it).
  shielded('events.once', () => wrapPromiseApis(events, 'events', 'other', ['once']));
  shielded('net/http', installNetHttp);
  shielded('fetch', installFetch);
  shielded('processes', installProcesses);
  // ESM programs import builtins' named exports: make them see the wrapped functions.
  shielded('esm exports', syncBuiltinESMExports);
}
