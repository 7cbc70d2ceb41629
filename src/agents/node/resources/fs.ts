/** File system work: callback functions of `fs` (the callback ends the record) and `fs.promises`. */
import fs = require('node:fs');
import { wrapCallbackApis } from './callback-apis';
import { wrapPromiseApis } from './promise-apis';

const CALLBACK_APIS = [
  'access', 'appendFile', 'chmod', 'chown', 'close', 'copyFile', 'cp', 'fstat', 'fsync', 'ftruncate', 'lstat',
  'mkdir', 'mkdtemp', 'open', 'opendir', 'read', 'readdir', 'readFile', 'readlink', 'readv', 'realpath', 'rename',
  'rm', 'rmdir', 'stat', 'statfs', 'symlink', 'truncate', 'unlink', 'utimes', 'write', 'writeFile', 'writev',
];

export function installFs(): void {
  wrapCallbackApis(fs, 'fs', 'io', CALLBACK_APIS);
  wrapPromiseApis(fs.promises, 'fs.promises', 'io');
}
