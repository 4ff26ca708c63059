import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleSetJsonSchemas } from '../../core/rules/index.js';
import { EXIT_OK, out } from './cli-shared.js';

/** The JSON Schemas for editors: printed, or written one file each into `outDir`. */
export const schema = (outDir: string | undefined): number => {
  const schemas = ruleSetJsonSchemas();
  if (outDir === undefined) {
    out(JSON.stringify(schemas, null, 2));
    return EXIT_OK;
  }
  mkdirSync(outDir, { recursive: true });
  for (const [name, value] of Object.entries(schemas)) {
    const file = join(outDir, `${name}.schema.json`);
    writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
    out(`wrote ${file}`);
  }
  return EXIT_OK;
};
