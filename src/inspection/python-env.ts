/**
 * The environment Microsoft's Python Debugger extension (ms-python.debugpy) gives a launched program, as its
 * resolver computes it (vscode-python-debugger: resolvers/helper.ts getDebugEnvironmentVariables,
 * common/variables/environment.ts parseEnvFile / mergeVariables / appendPaths): the `envFile` variables, then
 * the configuration's `env` over them, PATH and PYTHONPATH appended (the env file's first, then `env`'s, then the
 * extension host's own), the whole host environment for `console: internalConsole`, and PYTHONIOENCODING /
 * PYTHONUNBUFFERED defaults. Pure: the host environment and the file reader are passed in.
 */

export type EnvVars = Record<string, string | undefined>;

export interface PythonHost {
  /** The extension host's environment (the resolver reads process.env). */
  env: EnvVars;
  platform: NodeJS.Platform;
  /** An env file's text, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  /**
   * The `python.envFile` setting with ${workspaceFolder} resolved (default `<workspace>/.env`), used when the
   * configuration names no envFile; undefined without a workspace folder (the resolver then reads none).
   */
  defaultEnvFile?: string;
}

/** The search-path variable the resolver merges (getSearchPathEnvVarNames()[0]). */
export function pathVariable(platform: NodeJS.Platform): 'Path' | 'PATH' {
  return platform === 'win32' ? 'Path' : 'PATH';
}

export function pathDelimiter(platform: NodeJS.Platform): string {
  return platform === 'win32' ? ';' : ':';
}

/** mergeVariables: copies source into target, never PATH / PYTHONPATH; keeps target's unless overwrite. */
function mergeVariables(source: EnvVars, target: EnvVars, platform: NodeJS.Platform, overwrite = false): void {
  const skip = ['PYTHONPATH', pathVariable(platform)];
  for (const key of Object.keys(source)) {
    if (skip.includes(key)) continue;
    if (target[key] === undefined || overwrite) target[key] = source[key];
  }
}

/** appendPaths: appends the non-blank (trimmed) values to `name`, joined by the platform's delimiter. */
export function appendPaths(vars: EnvVars, name: string, platform: NodeJS.Platform, ...values: Array<string | undefined>): void {
  const delimiter = pathDelimiter(platform);
  const add = values
    .filter((v): v is string => typeof v === 'string' && v.trim().length > 0)
    .map((v) => v.trim())
    .join(delimiter);
  if (add.length === 0) return;
  const current = vars[name];
  vars[name] = typeof current === 'string' && current.length > 0 ? current + delimiter + add : add;
}

/** getDebugEnvironmentVariables for a launch configuration's env / envFile / console. */
export function pythonDebugEnvironment(config: Readonly<Record<string, unknown>>, host: PythonHost): EnvVars {
  const pathName = pathVariable(host.platform);
  const launchEnv: EnvVars = isEnv(config.env) ? { ...config.env } : {};
  const envFile = typeof config.envFile === 'string' ? config.envFile : host.defaultEnvFile;
  const text = envFile ? host.readFile(envFile) : undefined;
  const env: EnvVars = text ? parseEnvFile(text, launchEnv) : {};
  mergeVariables(launchEnv, env, host.platform, true);
  appendPaths(env, pathName, host.platform, launchEnv[pathName]);
  appendPaths(env, 'PYTHONPATH', host.platform, launchEnv.PYTHONPATH);
  if (typeof env[pathName] === 'string' && env[pathName]!.length > 0) {
    appendPaths(env, pathName, host.platform, host.env[pathName]);
  }
  if (typeof env.PYTHONPATH === 'string' && env.PYTHONPATH.length > 0) {
    appendPaths(env, 'PYTHONPATH', host.platform, host.env.PYTHONPATH);
  }
  if (config.console === 'internalConsole') {
    mergeVariables(host.env, env, host.platform);
    if (env[pathName] === undefined && typeof host.env[pathName] === 'string') env[pathName] = host.env[pathName];
    if (env.PYTHONPATH === undefined && typeof host.env.PYTHONPATH === 'string') env.PYTHONPATH = host.env.PYTHONPATH;
  }
  if (!Object.prototype.hasOwnProperty.call(env, 'PYTHONIOENCODING')) env.PYTHONIOENCODING = 'UTF-8';
  if (!Object.prototype.hasOwnProperty.call(env, 'PYTHONUNBUFFERED')) env.PYTHONUNBUFFERED = '1';
  return env;
}

export function isEnv(value: unknown): value is EnvVars {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** parseEnvFile: KEY=value lines, quoted values (multi-line inside quotes), ${VAR} substitution. */
export function parseEnvFile(content: string, baseVars: EnvVars = {}): EnvVars {
  const vars: EnvVars = {};
  let line = '';
  let inQuotes = false;
  let quote = '';
  let afterEquals = false;
  const take = (): void => {
    const [name, value] = parseEnvLine(line);
    if (name !== '') vars[name] = substituteEnvVars(value, vars, baseVars);
  };
  for (let i = 0; i < content.length; i++) {
    const ch = content[i];
    if (ch === '=' && !inQuotes) {
      afterEquals = true;
      line += ch;
      continue;
    }
    if ((ch === '"' || ch === "'") && afterEquals) {
      let backslashes = 0;
      for (let j = i - 1; j >= 0 && content[j] === '\\'; j--) backslashes++;
      if (backslashes % 2 === 0) {
        if (!inQuotes) {
          inQuotes = true;
          quote = ch;
        } else if (ch === quote) {
          inQuotes = false;
          quote = '';
        }
      }
      line += ch;
      continue;
    }
    if (ch === '\n' && !inQuotes) {
      take();
      line = '';
      afterEquals = false;
    } else {
      line += ch;
    }
  }
  if (line.trim() !== '') take();
  return vars;
}

function parseEnvLine(line: string): [string, string] {
  const match = line.match(/^\s*(_*[a-zA-Z]\w*)\s*=\s*(.*?)?\s*$/s);
  if (!match) return ['', ''];
  let value = match[2] ?? '';
  if (value !== '' && ((value[0] === "'" && value.endsWith("'")) || (value[0] === '"' && value.endsWith('"')))) {
    value = value.substring(1, value.length - 1).replace(/\\n/gm, '\n');
  }
  return [match[1], value];
}

const SUBST = /\${([a-zA-Z]\w*)?([^}\w].*)?}/g;

function substituteEnvVars(value: string, local: EnvVars, global: EnvVars): string {
  let invalid = false;
  const replaced = value.replace(SUBST, (match: string, name: string | undefined, bogus: string | undefined, offset: number, orig: string) => {
    if (offset > 0 && orig[offset - 1] === '\\') return match;
    if ((bogus && bogus !== '') || !name) {
      invalid = true;
      return match;
    }
    return local[name] || global[name] || '';
  });
  if (!invalid) value = replaced;
  return value.replace(/\\\$/g, '$');
}
