// Processes a suite left behind. scripts/test.mjs runs each suite under coreutils `timeout`, which kills the
// suite's whole process group when its budget runs out; but fixtures that start their own group or session
// (code-server, programs a test detaches) are not in it. Every process of a suite inherits a mark in its
// environment (ASYNC_INSPECTOR_SUITE_MARK), so whatever still carries the mark once the suite has ended —
// normally or killed — is found in /proc and killed with its group, and reported.
import { readdirSync, readFileSync } from 'node:fs';

export const MARK_VAR = 'ASYNC_INSPECTOR_SUITE_MARK';

/** [{pid, pgid, command}] of live processes whose environment holds `${MARK_VAR}=${mark}`. */
export function marked(mark) {
  const needle = `${MARK_VAR}=${mark}`;
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp ...
      if (fields[0] === 'Z') continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), pgid: Number(fields[2]), command });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * Kills the marked processes and their groups (SIGTERM, then SIGKILL after `graceMs`); returns what was found.
 * Processes already on their way out (a test's cleanup signalled them just before its file exited) get
 * `exitingMs` to go on their own first, and are not reported.
 */
export function killMarked(mark, graceMs = 3000, exitingMs = 2000) {
  waitGone(mark, exitingMs);
  const found = marked(mark);
  if (!found.length) return found;
  signal(found, 'SIGTERM');
  waitGone(mark, graceMs);
  signal(marked(mark), 'SIGKILL');
  return found;
}

function waitGone(mark, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && marked(mark).length) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
}

const ownGroup = (() => {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
})();

function signal(processes, sig) {
  for (const { pid, pgid } of processes) {
    for (const target of pgid === ownGroup ? [pid] : [-pgid, pid]) {
      try {
        process.kill(target, sig);
      } catch {
        // already gone
      }
    }
  }
}
