/** The debug adapter over stdio (dist/adapter.js): what DebugClient tests and non-inline clients run. */
import { InspectorSession } from './session';

const session = new InspectorSession();
process.on('SIGTERM', () => session.shutdown());
session.start(process.stdin, process.stdout);
