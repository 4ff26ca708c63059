import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/local/repo-root.js';
import { rulesTool } from '../support/tools.js';

/** `npm run rules -- validate` warns of a derived fact or a table no rule reads, as of an unused list. */
const rules = (...args: string[]) => rulesTool(args);
const scratch = mkdtempSync(join(tmpdir(), 'rules-unused-'));

describe('validate on derived facts and tables no rule reads', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('warns of each, and still validates', async () => {
    // Prepare: the default rule set with a table and a derived fact reading it, declared ahead of their rule
    const directory = join(scratch, 'unused');
    cpSync(resolve(REPO_ROOT, 'rules/default'), directory, { recursive: true });
    const file = join(directory, 'rule-set.yaml');
    const text = readFileSync(file, 'utf8');
    const added = text
      .replace(
        '\ntables:\n',
        '\ntables:\n  province-code:\n    description: Province of a region.\n    match: exact\n    entries: { Yunnan: 53 }\n',
      )
      .replace(
        '\nderived:\n',
        '\nderived:\n  originProvinceCode:\n    description: Province of the origin.\n    value: { lookup: { table: province-code, key: parcel.route.origin.region } }\n',
      );
    writeFileSync(file, added);

    // Act
    const run = await rules('validate', directory);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /warn .*rule-set\.yaml: derived declares originProvinceCode, which no rule or tally reads \(directly or through another derived fact\)$/m,
    );
    expect(run.stderr).toMatch(
      /warn .*rule-set\.yaml: tables declares province-code, which no rule or tally looks up \(directly or through a derived fact\)$/m,
    );
    // What the default rule set's rules read, directly or through another derived fact, is used.
    expect(run.stderr).not.toMatch(/goodsTypicalWeightKg|cny-per-unit|typical-weight-kg/);
  });
});
