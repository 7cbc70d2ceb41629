/** Loads the Node agent into a running Node.js process through its inspector (see injectNode). */
import type { AgentEndpoint } from './python';
import { AttachError, type AttachTarget } from './target';

export async function injectNode(target: AttachTarget, _ep: AgentEndpoint): Promise<void> {
  throw new AttachError(`attaching to Node.js (process ${target.pid}) is not available yet`);
}
