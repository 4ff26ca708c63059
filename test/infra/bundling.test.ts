import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUNDLING } from '../../infra/constructs/parcelguard-function.js';

describe('handler bundling', () => {
  it('keeps class names through minification, so deployed logs name errors as local runs do', async () => {
    // Prepare: the errors module compiled as every handler is
    const bundle = await build({
      stdin: {
        contents:
          "import { ConflictError, DependencyError } from './functions/platform/errors.js';\nexport const names = [new ConflictError('c').name, new DependencyError('d').name];",
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      write: false,
      format: 'esm',
      target: BUNDLING.target,
      mainFields: BUNDLING.mainFields,
      banner: { js: BUNDLING.banner },
      minify: BUNDLING.minify,
      keepNames: BUNDLING.keepNames,
    });
    const code = bundle.outputFiles[0]!.text;
    const directory = mkdtempSync(path.join(tmpdir(), 'parcelguard-bundle-'));
    const file = path.join(directory, 'index.mjs');
    writeFileSync(file, code);
    // Act
    const loaded = (await import(pathToFileURL(file).href)) as { names: string[] };
    rmSync(directory, { recursive: true, force: true });
    // Assess
    expect(BUNDLING.format).toBe('esm');
    expect(code).not.toContain('class ConflictError');
    expect(loaded.names).toEqual(['ConflictError', 'DependencyError']);
  });
});
