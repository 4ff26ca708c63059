import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleSetJsonSchemas } from '../../core/rules/index.js';
import { EXIT_OK, out, UsageError } from './cli-shared.js';

/** The JSON Schemas for editors: printed, or written one file each into `outDir`. */
export const schema = (outDir: string | undefined): number => {
  const schemas = ruleSetJsonSchemas();
  if (outDir === undefined) {
    out(JSON.stringify(schemas, null, 2));
    return EXIT_OK;
  }
  if (outDir.trim() === '') throw new UsageError('--out needs a folder to write the schemas into');
  try {
    mkdirSync(outDir, { recursive: true });
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
