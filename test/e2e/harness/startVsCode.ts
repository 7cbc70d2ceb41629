/** The built VSIX installed into a private code-server, and a headless Chromium to drive it. */
import { CodeServer } from './codeServer';
import type { Tools } from './tools';
import { buildVsix } from './vsix';
import { Workbench } from './workbench';

export async function startVsCode(root: string, tools: Tools): Promise<{ server: CodeServer; wb: Workbench }> {
  const vsix = buildVsix(root);
  const server = await CodeServer.prepare(tools);
  await server.installExtension(vsix);
  await server.start();
  return { server, wb: await Workbench.launch(tools.chromium) };
}
