/**
 * How the Node agent is injected: `--require "<agent>"` in NODE_OPTIONS. The launcher adds it (agent-env.ts)
 * and the agent takes it out again from what its children inherit when it must not follow them
 * (AgentConfig.traceChildren false). Pure string work, split the way Node splits NODE_OPTIONS.
 */

/**
 * NODE_OPTIONS with `--require "<module>"` appended, unless it already requires that module. Node splits
 * NODE_OPTIONS on spaces outside double quotes, and inside them reads `\x` as `x`: the path is quoted that
 * way, so folders with spaces, quotes or backslashes load.
 */
export function nodeOptionsWithRequire(nodeOptions: string | undefined, module: string): string {
  const existing = nodeOptions?.trim() ?? '';
  if (requiresModule(nodeOptionTokens(existing), module)) return nodeOptions ?? '';
  const require = `--require ${quoteNodeOption(module)}`;
  return existing ? `${existing} ${require}` : require;
}

/**
 * NODE_OPTIONS without any `--require <module>` (or `-r`, `--require=`) of `module`, the other entries kept
 * with their meaning; unchanged when it does not require it. Empty when nothing else was there.
 */
export function nodeOptionsWithout(nodeOptions: string, module: string): string {
  const tokens = nodeOptionTokens(nodeOptions);
  if (!requiresModule(tokens, module)) return nodeOptions;
  const kept: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if ((t === '--require' || t === '-r') && tokens[i + 1] === module) i++;
    else if (t !== `--require=${module}` && t !== `-r=${module}`) kept.push(t);
  }
  return kept.map((t) => (/^[^\s"\\]+$/.test(t) ? t : quoteNodeOption(t))).join(' ');
}

export function quoteNodeOption(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** NODE_OPTIONS split as Node splits it (src/node_options.cc ParseNodeOptionsEnvVar). */
export function nodeOptionTokens(options: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let started = false;
  let quoted = false;
  for (let i = 0; i < options.length; i++) {
    const c = options[i];
    if (quoted && c === '\\' && i + 1 < options.length) {
      current += options[++i];
    } else if (c === '"') {
      quoted = !quoted;
      started = true;
    } else if (!quoted && c === ' ') {
      if (started) tokens.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) tokens.push(current);
  return tokens;
}

function requiresModule(tokens: string[], module: string): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if ((t === '--require' || t === '-r') && tokens[i + 1] === module) return true;
    if (t === `--require=${module}` || t === `-r=${module}`) return true;
  }
  return false;
}
