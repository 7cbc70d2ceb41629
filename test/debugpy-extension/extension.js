// Test-only stand-in for Microsoft's Python Debugger extension (not installable offline): the `debugpy` debug
// type, served by debugpy's own DAP adapter, `<python> -m debugpy.adapter` on stdio. The interpreter (one with
// debugpy from PyPI) comes from ASYNC_INSPECTOR_TEST_DEBUGPY_PYTHON in the extension host's environment. It
// resolves nothing: Async Inspector's own resolver must cope with a configuration nobody else touched.
const vscode = require('vscode');

function activate(context) {
  const python = process.env.ASYNC_INSPECTOR_TEST_DEBUGPY_PYTHON || 'python3';
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory('debugpy', {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterExecutable(python, ['-m', 'debugpy.adapter']),
    }),
  );
}

function deactivate() {}

module.exports = { activate, deactivate };
