// Bundles every boundary with esbuild: extension, stdio adapter, CLI, Node agent, webview.
// The Python agent (and its sitecustomize entry) and the codicon font are copied next to them, so dist/ is
// self-contained.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const production = process.argv.includes('--production');

const node = { platform: 'node', target: 'node18', format: 'cjs', bundle: true, sourcemap: !production, minify: production };
const agent = { ...node, sourcemap: false, minify: false, minifyWhitespace: production, minifySyntax: production };
const bundles = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/adapter/main.ts'], outfile: 'dist/adapter.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The agent runs inside user programs: no source map comment pointing users' stack traces at us, and its
  // function names kept, so the wrapper frames a callback's error passes through read as the agent's
  // (`at runAs (…/agent-node.js)`), not as one-letter names.
  { ...agent, entryPoints: ['src/agents/node/index.ts'], outfile: 'dist/agent-node.js' },
  { ...agent, entryPoints: ['src/agents/node/writer-thread.ts'], outfile: 'dist/agent-node-writer.js' },
  { platform: 'browser', target: 'es2022', format: 'iife', bundle: true, sourcemap: !production, minify: production,
    entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js' },
  // The extension-host test suite and its runner (test/exthost): outside dist/, so never in the VSIX.
  { ...node, minify: false, external: ['vscode', 'mocha'], entryPoints: ['test/exthost/suite/index.ts'], outfile: 'out/exthost/suite.js' },
  { ...node, minify: false, external: ['vscode', 'mocha'], entryPoints: ['test/exthost/run.ts'], outfile: 'out/exthost/run.js' },
];

rmSync(dist, { recursive: true, force: true });
rmSync(join(root, 'out'), { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
await Promise.all(
  bundles
    .filter((b) => existsSync(join(root, b.entryPoints[0])))
    .map((b) => esbuild.build({ ...b, absWorkingDir: root, logLevel: 'warning' })),
);

const pyAgent = join(root, 'src/agents/python/async_inspector');
cpSync(pyAgent, join(dist, 'python/async_inspector'), {
  recursive: true,
  filter: (src) => !src.includes('__pycache__'),
});
// The sitecustomize entry a runtime debugger's launch gets on PYTHONPATH (it finds the agent in ../python).
cpSync(join(root, 'src/agents/python/site/sitecustomize.py'), join(dist, 'python-site/sitecustomize.py'));
const codicons = join(root, 'node_modules/@vscode/codicons/dist');
for (const f of ['codicon.css', 'codicon.ttf']) cpSync(join(codicons, f), join(dist, 'codicons', f));
console.log('built dist/');
