/**
 * Name resolution, kind 'io': the callback functions of `dns` and of `dns.Resolver` objects, named by what
 * they resolve (`dns.lookup example.com`, built lazily), and `dns.promises`.
 */
import { wrapCallbackApis, type Subject } from './callback-apis';
import { wrapPromiseApis } from './promise-apis';

/** Methods of `dns.Resolver`; the module's own are bound to a default resolver. */
const RESOLVER_APIS = [
  'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs',
  'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse',
];

const host: Subject = (name) => String(name);
const hostAndType: Subject = (name, rrtype) => (typeof rrtype === 'string' ? `${String(name)} ${rrtype}` : String(name));
const addressAndPort: Subject = (address, port) => `${String(address)}:${String(port)}`;

export function installDns(): void {
  const dns: typeof import('node:dns') = require('node:dns');
  const { isIP }: typeof import('node:net') = require('node:net');
  wrapPromiseApis(dns.promises, 'dns.promises', 'io', ['lookup', 'resolve', 'resolve4', 'resolve6', 'reverse']);
  // Both: the module's functions are bound to the original methods at load, and `dns.setServers()` binds
  // them again from the prototype (then to its wrappers: still one record per call).
  for (const target of [dns, dns.Resolver.prototype]) {
    wrapCallbackApis(target, 'dns', 'io', RESOLVER_APIS, host);
    wrapCallbackApis(target, 'dns', 'io', ['resolve'], hostAndType);
  }
  // Looking up an IP address resolves nothing (Node does it for every listen or connect to one): not a task.
  const isName = (first: unknown): boolean => typeof first !== 'string' || isIP(first) === 0;
  wrapCallbackApis(dns, 'dns', 'io', ['lookup'], host, isName);
  wrapCallbackApis(dns, 'dns', 'io', ['lookupService'], addressAndPort);
}
