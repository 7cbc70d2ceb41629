/**
 * fetch(): one record per request, named by method and URL ('fetch GET http://127.0.0.1:8080/items') at the
 * line that called it, ending when the response headers arrive (or failed), and one per body read
 * ('Response.json'). The promises undici makes for them stay internal; so does its llhttp parser's
 * WebAssembly (see frames.ts).
 */
import { wrapPromiseApi, wrapPromiseApis } from './promise-apis';

export function installFetch(): void {
  if (typeof globalThis.fetch === 'function') wrapPromiseApi(globalThis, 'fetch', 'fetch', 'io', fetchName);
}

/**
 * Reading a response's body (`await res.json()`) is a task of its own. Node loads Response lazily (touching it
 * costs ~25 ms), so its readers are wrapped once the first fetch has loaded it.
 */
let readersWrapped = false;
const BODY_READERS = ['text', 'json', 'arrayBuffer', 'blob', 'formData'];

type RequestLike = { url?: unknown; method?: unknown };

function fetchName(args: IArguments): { name: string; family: string } {
  if (!readersWrapped) {
    readersWrapped = true;
    wrapPromiseApis(globalThis.Response?.prototype, 'Response', 'io', BODY_READERS);
  }
  const input = args[0] as unknown;
  const init = args[1] as RequestLike | undefined;
  const request = typeof input === 'object' && input !== null && !(input instanceof URL) ? (input as RequestLike) : undefined;
  const url = request && typeof request.url === 'string' ? request.url : String(input);
  const method = String(init?.method ?? request?.method ?? 'GET').toUpperCase();
  let origin = url;
  try {
    origin = new URL(url).origin;
  } catch {
    // A relative or malformed URL: fetch itself rejects it; the name keeps what was passed.
  }
  return { name: `fetch ${method} ${url}`, family: `fetch ${method} ${origin}` };
}
