/**
 * CPU work Node hands to libuv's threadpool through callback APIs: `crypto` key derivation, random bytes,
 * key and prime generation, and `zlib`'s one-shot functions (their `...Sync` forms are not wrapped).
 *
 * Kind 'executor', not 'io': like a worker thread or Python's run_in_executor, the work runs off the event
 * loop on a small pool (4 threads by default) shared with fs and dns.lookup, so a queue of them delays
 * those too; it is computation handed away, not waiting on the outside world.
 */
import { wrapCallbackApis } from './callback-apis';

/** randomBytes / randomInt are synchronous without a callback: the shared wrapper leaves those alone. */
const CRYPTO_APIS = ['pbkdf2', 'scrypt', 'randomBytes', 'randomFill', 'randomInt', 'hkdf', 'generatePrime', 'checkPrime'];

const ZLIB_APIS = [
  'gzip', 'gunzip', 'deflate', 'inflate', 'deflateRaw', 'inflateRaw', 'unzip', 'brotliCompress', 'brotliDecompress',
];

/** Each loads its module (in a worker, only once the program loads it: lazy-builtins.ts). */
export function installCrypto(): void {
  const crypto: typeof import('node:crypto') = require('node:crypto');
  wrapCallbackApis(crypto, 'crypto', 'executor', CRYPTO_APIS);
  wrapCallbackApis(crypto, 'crypto', 'executor', ['generateKeyPair'], (type) => String(type));
}

export function installZlib(): void {
  const zlib: typeof import('node:zlib') = require('node:zlib');
  wrapCallbackApis(zlib, 'zlib', 'executor', ZLIB_APIS);
}
