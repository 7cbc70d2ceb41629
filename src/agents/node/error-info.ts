/**
 * A thrown value or rejection reason as the protocol's ErrorInfo: an error's name and message, or the value's
 * type and text. Runs on values from the program: getters and toString may throw, so nothing here can.
 */
export function errorInfo(reason: unknown): { type: string; message: string } {
  try {
    if (reason instanceof Error) return { type: String(reason.name || 'Error'), message: String(reason.message).slice(0, 500) };
    const text = typeof reason === 'string' ? JSON.stringify(reason) : String(reason);
    return { type: typeof reason, message: text.slice(0, 500) };
  } catch {
    return { type: typeof reason, message: '' };
  }
}

/**
 * JavaScript's cancellation: work stopped through an AbortSignal rejects with an AbortError (Node's own, or
 * the DOMException fetch uses). Such an end is shown as cancelled, not failed.
 */
export function endedBy(error: { type: string }): 'failed' | 'cancelled' {
  return error.type === 'AbortError' ? 'cancelled' : 'failed';
}
