/**
 * The `asyncInspector.flags.disabled` setting applied to what the view and the Problems panel show (pure, no
 * vscode: the model keeps every flag, so turning a kind back on shows its flags again).
 */
import { isKnownFlagKind } from '../model/flag-kinds';
import type { ExtToViewMessage } from '../shared/messages';

/** The setting's value as the user wrote it, reduced to known kind names (anything else is ignored). */
export function disabledKinds(value: unknown): ReadonlySet<string> {
  return new Set(Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string' && isKnownFlagKind(k)) : []);
}

/** The message without flags of disabled kinds (the same object when nothing is hidden). */
export function withoutDisabledFlags(msg: ExtToViewMessage, disabled: ReadonlySet<string>): ExtToViewMessage {
  switch (msg.type) {
    case 'delta':
      return { ...msg, delta: filtered(msg.delta, disabled) };
    case 'state':
      return msg.snapshot ? { ...msg, snapshot: filtered(msg.snapshot, disabled) } : msg;
    case 'reset':
    case 'ended':
    case 'paused':
      return msg;
  }
}

/** The delta without flags of disabled kinds (the same object when nothing is hidden). */
function filtered<D extends { flags: ReadonlyArray<{ kind: string }> }>(delta: D, disabled: ReadonlySet<string>): D {
  if (disabled.size === 0 || !delta.flags.some((f) => disabled.has(f.kind))) return delta;
  return { ...delta, flags: delta.flags.filter((f) => !disabled.has(f.kind)) };
}
