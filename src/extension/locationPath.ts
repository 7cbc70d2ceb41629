/**
 * Turns a location's `file` (as an agent reported it) into a local file path the editor may open, or
 * undefined when it is not one: `node:internal/...`, `<frozen importlib._bootstrap>`, relative names,
 * http(s) URLs. vscode-free; the caller still checks that the file exists.
 */
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

export function localFilePath(file: string): string | undefined {
  if (file.startsWith('file:')) {
    try {
      return fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file)) return undefined; // other URL schemes
  return isAbsolute(file) ? file : undefined;
}
