import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ruleSetJsonSchemas } from '../../core/rules/index.js';
import { EXIT_OK, out, UsageError } from './cli-shared.js';

/**
 * `mkdir -p`, a level at a time. Node's recursive mkdir spins forever on a folder whose parent exists but
 * cannot hold it (under /proc, which answers ENOENT): here that fails as the mkdir of the folder itself.
 */
const makeFolder = (folder: string): void => {
  const parent = dirname(folder);
  if (parent !== folder && !existsSync(parent)) makeFolder(parent);
  try {
    mkdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(folder).isDirectory()) throw error;
  }
};

/** The JSON Schemas for editors: printed, or written one file each into `outDir`. */
export const schema = (outDir: string | undefined): number => {
  const schemas = ruleSetJsonSchemas();
  if (outDir === undefined) {
    out(JSON.stringify(schemas, null, 2));
    return EXIT_OK;
  }
  if (outDir.trim() === '') throw new UsageError('--out needs a folder to write the schemas into');
  try {
    makeFolder(outDir);
    for (const [name, value] of Object.entries(schemas)) {
      const file = join(outDir, `${name}.schema.json`);
      writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
      out(`wrote ${file}`);
    }
  } catch (error) {
    // A file where the folder should be, a folder that cannot be written: the argument is at fault.
    throw new UsageError(
      `--out ${outDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}: not a folder the schemas can be written into`,
    );
  }
  return EXIT_OK;
};
