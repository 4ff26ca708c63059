import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, for the local tools that read committed dev files. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
