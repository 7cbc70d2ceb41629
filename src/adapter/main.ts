/** The debug adapter over stdio (dist/adapter.js): what DebugClient tests and non-inline clients run. */
import { InspectorSession } from './session';

const session = new InspectorSession();
process.on('SIGTERM', () => session.shutdown());
// However the adapter ends (even by a crash of its own), the traced program must not outlive it.
process.on('exit', () => session.dispose());
session.start(process.stdin, process.stdout);
