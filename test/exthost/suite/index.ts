/**
 * The extension-host suite, bundled into one file (out/exthost/suite.js) that Mocha loads inside VS Code's
 * extension host: under @vscode/test-cli (.vscode-test.mjs) or in code-server (test/exthost/run.ts).
 */
import './activation';
import './configurations';
import './session';
import './runningSession';
import './following';
import './followedRuns';
import './followingPython';
