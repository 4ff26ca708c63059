import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MORE_MAY_FOLLOW } from '../../functions/core/rules/cases/index.js';
import { REPO_ROOT } from '../../functions/local/repo-root.js';
import { rulesTool } from '../support/tools.js';

/** `npm run rules -- explain`, as an analyst runs it on input with several problems. */
const rules = (...args: string[]) => rulesTool(args);

const RUILI = 'events/samples/manifests/southwest-freight-ruili-wuzhou.json';
const scratch = mkdtempSync(join(tmpdir(), 'rules-explain-problems-'));
const demoManifest = () => JSON.parse(readFileSync(resolve(REPO_ROOT, RUILI), 'utf8'));
const write = (name: string, document: unknown): string => {
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify(document));
  return file;
};

describe('rules explain on input with several kinds of problem', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('tells every problem of the file and of --with in one run, each with its path (exit 2)', async () => {
    // Prepare: a refused HS code, untrimmed text, a refused transport, history that breaks a relation
    const parcel = demoManifest().parcels[0];
    parcel.goods[0].hsCode = '94036';
    parcel.shipper.name = ` ${parcel.shipper.name} `;
    const file = write('facts.json', {
      parcel,
      manifest: { transport: { mode: 'Air' } },
      history: { shipper: { seizures: 1 } },
    });
    const overlay = write('overlay.json', { parcel: {}, history: { consignee: { seizures: 'x' } } });

    // Act
    const run = await rules('explain', file, '--with', overlay);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      `${file} cannot be explained as written:`,
      '  manifest.transport.mode: expected one of road, rail, air, sea, postal, multimodal, not "Air"',
      '  parcel.goods[0].hsCode: HS code of 6 to 10 digits, no dots',
      expect.stringMatching(/^ {2}parcel\.shipper\.name: " .* " has leading or trailing spaces, .*: write "/),
      expect.stringMatching(/^ {2}history\.shipper\.seizures: 1, but lastSeizureAt is null: /),
      `  (${MORE_MAY_FOLLOW})`,
      `--with ${overlay} cannot be laid over the parcel's facts:`,
    ]);
    expect(lines.slice(7, 10)).toEqual([
      '  parcel: not a group an overlay sets (history, now); the parcel and manifest come from the file explained',
      '  history.consignee.seizures: expected a number, not "x"',
      `  (${MORE_MAY_FOLLOW})`,
    ]);
  });

  it('tells a refused manifest, the parcel --parcel does not find and a refused --with at once (exit 2)', async () => {
    // Prepare
    const manifest = demoManifest();
    manifest.parcels[0].goods[0].hsCode = '94036';
    const file = write('manifest.json', manifest);
    const overlay = write('manifest-overlay.json', { now: 'soon' });

    // Act
    const run = await rules('explain', file, '--parcel', 'SWF778100012', '--with', overlay);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').slice(0, 7)).toEqual([
      `${file} is not a valid manifest:`,
      expect.stringMatching(/^ {2}parcels\[0\]\.goods\[0\]\.hsCode: /),
      `  (${MORE_MAY_FOLLOW})`,
      `${file} has no parcel SWF778100012: its parcels are SWF7781000123, SWF7781000124`,
      `--with ${overlay} cannot be laid over the parcel's facts:`,
      '  now: "soon" is not an ISO time',
      `  (${MORE_MAY_FOLLOW})`,
    ]);
  });

  it('asks for --parcel and tells a refused --with at once, without more to follow for the manifest (exit 2)', async () => {
    // Prepare
    const overlay = write('relation-overlay.json', { history: { shipper: { seizures: 1 } } });

    // Act
    const run = await rules('explain', RUILI, '--with', overlay);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').slice(0, 3)).toEqual([
      `${RUILI} is a manifest: pick a parcel with --parcel (SWF7781000123, SWF7781000124)`,
      `--with ${overlay} cannot be laid over the parcel's facts:`,
      expect.stringMatching(/^ {2}history\.shipper\.seizures: 1, but lastSeizureAt is null: /),
    ]);
    expect(run.stderr).not.toContain(MORE_MAY_FOLLOW);
  });

  it('tells a manifest none of whose parcels has a house document number as refused, without asking for --parcel (exit 2)', async () => {
    // Prepare
    const file = write('numberless-manifest.json', { parcels: [{}] });

    // Act
    const run = await rules('explain', file);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n');
    expect(lines[0]).toBe(`${file} is not a valid manifest:`);
    expect(lines).toContain('  parcels[0].parcelId: missing: a required field, expected string');
    expect(lines[lines.indexOf(`  (${MORE_MAY_FOLLOW})`) + 1]).toMatch(/^usage: npm run rules -- explain /);
    expect(run.stderr).not.toContain('--parcel (');
  });
});
