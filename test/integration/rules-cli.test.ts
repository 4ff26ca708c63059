import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/local/repo-root.js';
import { runRulesCli } from '../../functions/tools/rules/cli.js';
import { runTool } from '../support/cli.js';
import { runInProcess } from '../support/in-process.js';
import { rulesTool } from '../support/tools.js';

/** `npm run rules -- <command>`, as an analyst runs it: exit codes and what it prints (run in this process). */
const rules = (...args: string[]) => rulesTool(args);

/** The same, as npm starts it: a process of its own, for what only its exit shows. */
const rulesSpawned = (...args: string[]) => runTool('functions/tools/rules-cli.ts', args);

const RUILI = 'events/samples/manifests/southwest-freight-ruili-wuzhou.json';
const scratch = mkdtempSync(join(tmpdir(), 'rules-cli-'));

/** `explain` of the Ruili manifest's demo parcel, with these options besides. */
const explainDemo = (...options: string[]) =>
  rules('explain', RUILI, '--parcel', 'SWF7781000123', ...options);

/** The Ruili manifest, parsed afresh for a test to change. */
const ruiliManifest = () => JSON.parse(readFileSync(resolve(REPO_ROOT, RUILI), 'utf8'));

/** Writes `content` (text as it is, anything else as JSON) to `name` in the scratch folder: its path. */
const scratchFile = (name: string, content: unknown): string => {
  const path = join(scratch, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

/** A copy of the default rule set at `directory`. */
const copyOfDefault = (directory: string): string => {
  cpSync(resolve(REPO_ROOT, 'rules/default'), directory, { recursive: true });
  return directory;
};

/** A copy of the default rule set with one file's text changed. */
const alteredCopy = (name: string, file: string, from: string, to: string): string => {
  const directory = copyOfDefault(join(scratch, name));
  const path = join(directory, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(path, text.replace(from, to));
  return directory;
};

/** The change to the default rule set that makes a rule compare a number with a payment method. */
const TYPE_MISMATCH = [
  'rule-set.yaml',
  'when: { fact: history.consignee.seizures, gt: 0 }',
  'when: { fact: parcel.paymentMethod, gt: 0 }',
] as const;

/** A copy of the default rule set with `rule` (YAML, as its rules list holds it) added first. */
const withRule = (name: string, rule: string) =>
  alteredCopy(name, 'rule-set.yaml', '\nrules:\n', `\nrules:\n${rule}\n`);

/** A rule set altered in one file, run through one command: the exit code and what it must print. */
interface AlteredRun {
  title: string;
  copy: string;
  alter: readonly [file: string, from: string, to: string];
  command: 'validate' | 'test';
  code: number;
  /** Text (held anywhere) or patterns each stream must show. */
  stdout?: (string | RegExp)[];
  stderr?: (string | RegExp)[];
  /** Text stdout must not hold. */
  notInStdout?: string;
}

describe('the rules CLI', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('validates the rule sets under rules/, naming each with its version', async () => {
    // Act
    const run = await rules('validate');

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^ok {2}rules\/default: default \S+ \(sha256:[0-9a-f]{16}\), 18 rules, 5 lists$/m,
    );
  });

  it('runs every rule set against its cases', async () => {
    // Act
    const run = await rules('test');

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('FAIL');
    expect(run.stdout).toMatch(/(\d+)\/\1 cases passed, 18\/18 rules fired by a case/);
  });

  it('explains one parcel of a manifest with its reasons and the full trace', async () => {
    // Act
    const run = await explainDemo();

    // Assess
    expect(run.code).toBe(0);
    // explain fills in the case defaults (a known consignee, nothing on record): no new-consignee, unlike the pipeline's 120.
    expect(run.stdout).toContain('lane hold, score 110');
    expect(run.stdout).toContain(
      "origin-border-town (+25): origin Ruili or shipper's city 瑞丽市 is a border town (list border-origins)",
    );
    expect(run.stdout).toMatch(/^ {2}weight-far-above-goods: fired$/m);
    expect(run.stdout).toContain('derived.weightToTypicalRatio = 3.8375');
  });

  it('prints the evaluation as JSON with --json, and marks a missing fact with ? in the text trace', async () => {
    // Act
    const json = await explainDemo('--json');
    const text = await rules('explain', RUILI, '--parcel', 'SWF7781000124');

    // Assess
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ lane: 'hold', score: 110 });
    expect(text.stdout).toMatch(/^ {4}\? derived\.measuredToDeclaredRatio = null {2}gt 1\.5 /m);
  });

  it('counts the consignee names one phone receives under in the manifest explained, for a rule to read', async () => {
    // Prepare: a rule on the names at a phone, and the Ruili manifest's parcels sent to one phone under three names
    const directory = withRule(
      'names-at-phone',
      '  - id: phone-names-in-manifest\n    title: One phone under several names in a manifest\n    owner: risk-analytics\n    severity: medium\n    tags: [manifest]\n    score: 5\n    reason: "consignee phone under {manifest.consigneeNamesOfPhone} names in this manifest"\n    when: { fact: manifest.consigneeNamesOfPhone, gte: 3 }\n',
    );
    const manifest = ruiliManifest();
    const [first] = manifest.parcels;
    manifest.parcels = ['王小明', '王晓明', 'Wang Xiaoming'].map((name, index) => ({
      ...structuredClone(first),
      parcelId: `SWF77810009${index}`,
      consignee: { ...structuredClone(first.consignee), name },
    }));
    const file = scratchFile('names-at-phone.json', manifest);

    // Act
    const run = await rules('explain', file, '--parcel', 'SWF778100091', '--rule-set', directory);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'phone-names-in-manifest (+5): consignee phone under 3 names in this manifest',
    );
  });

  it('weighs the parcels one phone receives in the manifest explained, for a rule to read', async () => {
    // Prepare: a rule on the weight to a phone, and the Ruili manifest's parcels: four of 23.2 kg to one phone, one to another
    const directory = withRule(
      'weight-to-phone',
      '  - id: weight-to-phone-in-manifest\n    title: Heavy goods to one phone in a manifest\n    owner: risk-analytics\n    severity: medium\n    tags: [manifest]\n    score: 5\n    reason: "{manifest.weightToPhoneKg} kg to one consignee phone in this manifest"\n    when: { fact: manifest.weightToPhoneKg, gte: 90 }\n',
    );
    const manifest = ruiliManifest();
    const [first] = manifest.parcels;
    manifest.parcels = [
      '+86 138 0000 7777',
      '+86 138 0000 7777',
      '13800007777',
      '138 0000 7777',
      '139 0000 1111',
    ].map((phone, index) => ({
      ...structuredClone(first),
      parcelId: `SWF77810008${index}`,
      declaredGrossWeightKg: 23.2,
      consignee: { ...structuredClone(first.consignee), phone },
    }));
    const file = scratchFile('weight-to-phone.json', manifest);

    // Act
    const run = await rules('explain', file, '--parcel', 'SWF778100081', '--rule-set', directory);
    const alone = await rules('explain', file, '--parcel', 'SWF778100084', '--rule-set', directory);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'weight-to-phone-in-manifest (+5): 92.8 kg to one consignee phone in this manifest',
    );
    expect(alone.stdout).toMatch(/^ {4}✗ manifest\.weightToPhoneKg = 23\.2 {2}gte 90$/m);
  });

  it('refuses a manifest the contract refuses, naming the path at fault (exit 2)', async () => {
    // Prepare
    const manifest = ruiliManifest();
    manifest.parcels[0].goods[0].hsCode = '94036';
    const file = scratchFile('invalid-manifest.json', manifest);

    // Act
    const run = await rules('explain', file, '--parcel', 'SWF7781000123');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(`${file} is not a valid manifest:`);
    expect(run.stderr).toMatch(/^ {2}parcels\[0\]\.goods\[0\]\.hsCode: /m);
  });

  it('lays --with history and now over a manifest parcel: the demo parcel to a new consignee scores the pipeline’s 120', async () => {
    // Prepare
    const overlay = scratchFile(
      'new-consignee.yaml',
      'history:\n  consignee:\n    known: false\nnow: 2026-11-27T09:00:00Z\n',
    );

    // Act
    const run = await explainDemo('--with', overlay);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('lane hold, score 120');
    expect(run.stdout).toContain('new-consignee (+10): consignee has no shipping history');
    expect(run.stdout).toContain('trace (✓ true, ✗ false, ? missing) at 2026-11-27T09:00:00Z:');
  });

  it('says which lane a fired rule forces: wooden goods to a consignee seized before', async () => {
    // Prepare
    const overlay = scratchFile(
      'seized-before.yaml',
      'history:\n  consignee:\n    seizures: 1\n    lastSeizureAt: 2026-05-01T08:00:00Z\n',
    );

    // Act
    const run = await explainDemo('--with', overlay);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}seized-consignee-wooden-goods \(\+0, forces hold\): wooden goods /m);
    expect(run.stdout).toMatch(/^ {2}cash-payment \(\+10\): /m);
  });

  it('refuses a --with that sets the parcel or breaks the facts’ shape, naming each path (exit 2)', async () => {
    // Prepare
    const overlay = scratchFile('bad-overlay.json', {
      parcel: {},
      history: { consignee: { seizure: 1 } },
      now: 'soon',
    });

    // Act
    const run = await explainDemo('--with', overlay);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--with ${overlay} cannot be laid over the parcel's facts:`);
    expect(run.stderr).toContain('parcel: not a group an overlay sets (history, now)');
    expect(run.stderr).toMatch(/history\.consignee\.seizure: unknown fact; history\.consignee has known, /);
    expect(run.stderr).toContain('now: "soon" is not an ISO time');
    expect(run.stdout).toBe('');
  });

  it('refuses a --with that removes a history fact screening always has (exit 2)', async () => {
    // Prepare
    const overlay = scratchFile('null-overlay.yaml', 'history:\n  consignee:\n    known: null\n');

    // Act
    const run = await explainDemo('--with', overlay);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^ {2}history\.consignee\.known: null, but screening always has this fact \(null only removes an optional one\)$/m,
    );
    expect(run.stdout).toBe('');
  });

  it('asks which parcel of a manifest to explain, listing them, with the usage exit code', async () => {
    // Act
    const run = await rules('explain', RUILI);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is a manifest: pick a parcel with --parcel (SWF7781000123, SWF7781000124)');
  });

  it.each([
    [
      'a parcel the contract refuses, whose party keys would be the baseline’s',
      (parcel: Record<string, any>) => {
        parcel.goods[0].hsCode = '94036';
        return parcel;
      },
      /parcel\.goods\[0\]\.hsCode: /,
    ],
    [
      'facts with a misspelled group',
      (parcel: Record<string, any>) => ({ parcel, histroy: { consignee: { seizures: 1 } } }),
      /histroy: unknown fact group \(parcel, manifest, history, now\); did you mean history\?/,
    ],
    [
      'facts at a time that is not one',
      (parcel: Record<string, any>) => ({ parcel, now: 'yesterday' }),
      /now: "yesterday" is not an ISO time/,
    ],
    [
      'history with a misspelled field',
      (parcel: Record<string, any>) => ({ parcel, history: { consignee: { seizure: 1 } } }),
      /history\.consignee\.seizure: unknown fact; history\.consignee has known, /,
    ],
    [
      'history with a value of the wrong type',
      (parcel: Record<string, any>) => ({ parcel, history: { consignee: { seizures: '2' } } }),
      /history\.consignee\.seizures: expected a number, not "2"/,
    ],
    [
      'a parcel with a field the contract does not have, naming the field',
      (parcel: Record<string, any>) => ({ ...parcel, weightKg: 3 }),
      /^ {2}parcel\.weightKg: unknown fact; parcel has parcelId, shipper, /m,
    ],
    [
      'facts with a misspelled field of a place, naming the field',
      (parcel: Record<string, any>) => ({
        parcel: { ...parcel, route: { ...parcel.route, origin: { citty: 'Ruili' } } },
      }),
      /^ {2}parcel\.route\.origin\.citty: unknown fact; parcel\.route\.origin has country, region, city; did you mean parcel\.route\.origin\.city\?$/m,
    ],
    [
      'facts with a transport mode the contract refuses',
      (parcel: Record<string, any>) => ({ parcel, manifest: { transport: { mode: 'Air' } } }),
      /^ {2}manifest\.transport\.mode: expected one of road, rail, air, sea, postal, multimodal, not "Air"$/m,
    ],
    [
      'facts without history',
      (parcel: Record<string, any>) => ({ parcel, history: null }),
      /^ {2}history: null, but screening always has this fact \(null only removes an optional one\)$/m,
    ],
    [
      'history with an instant that is not text, where the baseline has none',
      (parcel: Record<string, any>) => ({ parcel, history: { consignee: { lastSeizureAt: 20260303 } } }),
      /history\.consignee\.lastSeizureAt: expected an instant \(ISO 8601 text\) or null, not 20260303/,
    ],
  ])('refuses to explain %s, saying where and why (exit 2)', async (_name, edit, expected) => {
    // Prepare
    const file = scratchFile(
      `input-${Math.random().toString(36).slice(2)}.json`,
      edit(ruiliManifest().parcels[0]),
    );

    // Act
    const run = await rules('explain', file);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot be explained as written');
    expect(run.stderr).toMatch(expected);
    expect(run.stdout).toBe('');
  });

  it('explains a whole parcel given as facts as it explains the bare parcel, without the baseline’s measured weight', async () => {
    // Prepare: the demo parcel, without a measured weight
    const { measuredWeightKg: _, ...parcel } = ruiliManifest().parcels[0];
    const bare = scratchFile('bare-parcel.json', parcel);
    const asFacts = scratchFile('parcel-as-facts.json', { parcel });

    // Act
    const [fromBare, fromFacts] = await Promise.all([rules('explain', bare), rules('explain', asFacts)]);

    // Assess
    expect(fromBare.code, fromBare.stderr).toBe(0);
    expect(fromFacts.code, fromFacts.stderr).toBe(0);
    expect(fromFacts.stdout).toContain('parcel.measuredWeightKg is missing');
    expect(fromFacts.stdout).toBe(fromBare.stdout);
  });

  it('says a parcel file cannot be read, as a usage error, not as an invalid rule set', async () => {
    // Act
    const run = await rules('explain', join(scratch, 'no-such-parcel.json'));

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no-such-parcel\.json.*cannot read file/);
    expect(run.stderr).not.toContain('rule set invalid');
  });

  it('names the parcels of a manifest when --parcel names none of them', async () => {
    // Act
    const run = await rules('explain', RUILI, '--parcel', 'NOPE');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has no parcel NOPE: its parcels are SWF7781000123, SWF7781000124');
  });

  it('prints the JSON Schemas of rule-set, list and case files', async () => {
    // Act
    const run = await rules('schema');

    // Assess
    expect(run.code).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout))).toEqual(['rule-set', 'list', 'cases']);
    expect(run.stdout).toContain('"daysSince"');
    expect(run.stdout).toContain('"daysBetween"');
  });

  it.each([
    [
      '2026-12-09',
      /list border-origins v\d+ expires on 2026-12-09 \(in 10 day\(s\)\): its rules then stop matching/,
    ],
    ['2026-11-01', /list border-origins v\d+ expired on 2026-11-01: its rules match nothing/],
  ])('warns of a list expiring on %s, as the lists tool does, and stays valid', async (expires, notice) => {
    // Prepare (the tests run as of 2026-11-29)
    const directory = alteredCopy(
      `expiring-${expires}`,
      'lists/border-origins.yaml',
      'expires: 2027-12-31',
      `expires: ${expires}`,
    );

    // Act
    const run = await rules('validate', directory);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`^warn \\S+border-origins\\.yaml: ${notice.source}`, 'm'));
  });

  const ALTERED_RUNS: AlteredRun[] = [
    {
      title: 'refuses a rule set with a type mismatch, naming the file, the rule and the path',
      copy: 'type-mismatch',
      alter: TYPE_MISMATCH,
      command: 'validate',
      code: 1,
      stderr: [
        'rule set invalid: 1 issue(s)',
        /rule-set\.yaml.*consignee-prior-seizure.*rules\[\d+\]\.when.*paymentMethod/,
      ],
    },
    {
      title: 'fails a case whose expectation the rules do not meet',
      copy: 'failing-case',
      alter: ['cases/demo.yaml', 'lane: release', 'lane: hold'],
      command: 'test',
      code: 1,
      stdout: [
        /FAIL {2}cases\/demo\.yaml: ordinary phone cases from Shenzhen/,
        /^ +\S*cases\/demo\.yaml: cases\[0\]\.expect\.lane: lane is release, expected hold$/m,
      ],
    },
    {
      title:
        'refuses a case expecting a rule the rule set does not have, naming the case, the id and the rules',
      copy: 'misspelled-expectation',
      alter: [
        'cases/demo.yaml',
        'fired: [origin-border-town, wooden-goods-words, unknown-hs-code, cash-payment]',
        'fired: [origin-border-twon, wooden-goods-words, unknown-hs-code, cash-payment]',
      ],
      command: 'test',
      code: 1,
      stdout: [
        /^ +\S*cases\/demo\.yaml: cases\[2\]\.expect\.fired\[0\]: unknown rule origin-border-twon; rules: \S+, .*; did you mean origin-border-town\?$/m,
      ],
      notInStdout: 'fired rules differ',
    },
    {
      title: 'warns of a hard hit on a disabled rule, which forces nothing while the rule is disabled',
      copy: 'disabled-hard-hit',
      alter: [
        'rule-set.yaml',
        '  - id: seized-consignee-wooden-goods\n',
        '  - id: seized-consignee-wooden-goods\n    enabled: false\n',
      ],
      command: 'validate',
      code: 0,
      stderr: [
        /warn .*rule-set\.yaml: lanes\.hardHits\[0\] names disabled rule seized-consignee-wooden-goods; it forces hold only once the rule is enabled/,
      ],
    },
    {
      title: 'refuses gt on an instant when it validates, saying how to compare days',
      copy: 'gt-on-instant',
      alter: [
        'rule-set.yaml',
        'when: { fact: history.consignee.seizures, gt: 0 }',
        'when: { fact: history.consignee.lastSeizureAt, gt: 0 }',
      ],
      command: 'validate',
      code: 1,
      stderr: [
        /rule-set\.yaml.*consignee-prior-seizure.*rules\[\d+\]\.when\.gt.*gt needs a number, but history\.consignee\.lastSeizureAt is an instant \(ISO 8601 text\): compare days instead, \{ value: \{ daysSince: history\.consignee\.lastSeizureAt \}, gt: … \}/,
      ],
    },
    {
      // a rule no case of the default rule set fires
      title: 'names the one rule no case fires, and fails',
      copy: 'one-unfired-rule',
      alter: [
        'rule-set.yaml',
        '\nlanes:',
        `
  - id: never-fired
    title: Never fired
    owner: risk-analytics
    severity: low
    score: 1
    reason: no case has it
    when: { fact: derived.weightToTypicalRatio, gt: 1000 }
\nlanes:`,
      ],
      command: 'test',
      code: 1,
      stdout: [/^ {2}FAIL {2}rules no case fires: never-fired$/m, /18\/19 rules fired by a case/],
    },
  ];
  it.each(ALTERED_RUNS.map((run) => [run.title, run] as const))(
    '%s',
    async (_title, { copy, alter, command, code, stdout = [], stderr = [], notInStdout }) => {
      // Prepare
      const directory = alteredCopy(copy, ...alter);

      // Act
      const run = await rules(command, directory);

      // Assess
      expect(run.code, run.stderr).toBe(code);
      for (const expected of stdout) expect(run.stdout).toMatch(expected);
      for (const expected of stderr) expect(run.stderr).toMatch(expected);
      if (notInStdout !== undefined) expect(run.stdout).not.toContain(notInStdout);
    },
  );

  it('validates and tests every rule set under a directory, reporting each invalid one, and fails', async () => {
    // Prepare
    const several = join(scratch, 'several');
    alteredCopy('several/a-type-mismatch', ...TYPE_MISMATCH);
    copyOfDefault(join(several, 'b-valid'));
    alteredCopy('several/c-unquoted-key', 'rule-set.yaml', '"9403": 20', '9403: 20');

    // Act
    const run = await rules('validate', several);
    const tested = await rules('test', several);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/a-type-mismatch\/rule-set\.yaml.*consignee-prior-seizure.*paymentMethod/);
    expect(run.stdout).toMatch(/^ok {2}\S*b-valid: default /m);
    expect(run.stderr).toMatch(
      /c-unquoted-key\/rule-set\.yaml at tables\.typical-weight-kg\.entries\.9403: table keys must be quoted strings/,
    );
    expect(run.stderr.match(/^rule set invalid: 1 issue\(s\)$/gm)).toHaveLength(2);
    expect(tested.code).toBe(1);
    expect(tested.stderr.match(/^rule set invalid: 1 issue\(s\)$/gm)).toHaveLength(2);
    expect(tested.stdout).toMatch(/b-valid: default [\s\S]* cases passed/);
  });

  it('validates and tests rule sets nested at any depth, and fails on an invalid one deep down', async () => {
    // Prepare: a valid rule set at the top and an invalid one two levels down
    const tree = join(scratch, 'tree');
    copyOfDefault(join(tree, 'top'));
    alteredCopy('tree/team/broken', ...TYPE_MISMATCH);

    // Act
    const run = await rules('validate', tree);
    const tested = await rules('test', tree);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ok {2}\S*tree\/top: default /m);
    expect(run.stderr).toMatch(/team\/broken\/rule-set\.yaml.*consignee-prior-seizure.*paymentMethod/);
    expect(tested.code).toBe(1);
    expect(tested.stderr).toMatch(/team\/broken\/rule-set\.yaml.*consignee-prior-seizure/);
  });

  it('tests every rule set under a directory when one has a malformed case file, and fails', async () => {
    // Prepare
    const several = join(scratch, 'bad-cases');
    alteredCopy('bad-cases/a-malformed-case', 'cases/demo.yaml', 'lane: release', 'lane: relase');
    copyOfDefault(join(several, 'b-valid'));

    // Act
    const tested = await rules('test', several);

    // Assess
    expect(tested.code).toBe(1);
    expect(tested.stdout).toMatch(
      /^ {2}FAIL {2}case file invalid: \S*a-malformed-case\/cases\/demo\.yaml: cases\[\d+\]\.expect\.lane: /m,
    );
    expect(tested.stdout).toMatch(/b-valid: default [\s\S]* cases passed/);
  });

  it('runs the other case files when one is not valid YAML, and fails; validate and explain never read cases', async () => {
    // Prepare
    const directory = copyOfDefault(join(scratch, 'broken-case-yaml'));
    writeFileSync(
      join(directory, 'cases/zz-broken.yaml'),
      'cases:\n  - name: x\n    facts: {parcel: {pieceCount: 2}\n',
    );

    // Act
    const tested = await rules('test', directory);
    const validated = await rules('validate', directory);
    const explained = await explainDemo('--rule-set', directory);

    // Assess
    expect(tested.code).toBe(1);
    expect(tested.stdout).toMatch(
      /^ {2}FAIL {2}case file invalid: \S*broken-case-yaml\/cases\/zz-broken\.yaml: not valid YAML\/JSON: /m,
    );
    expect(tested.stdout).toMatch(/^ {2}pass {2}cases\/demo\.yaml: ordinary phone cases from Shenzhen/m);
    expect(tested.stdout).toMatch(
      /(\d+)\/\1 cases passed, 1 case file invalid \(its cases not run\), 18\/18 rules fired by a case/,
    );
    expect(validated.code, validated.stderr).toBe(0);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toContain('lane hold, score 110');
  });

  it('reads the case files in folders under cases/, in name order, naming each case by its path in the rule set', async () => {
    // Prepare: a failing case and a broken file in a subfolder, a passing case deeper, a dot folder
    const directory = copyOfDefault(join(scratch, 'case-folders'));
    for (const folder of ['cases/extra/deeper', 'cases/.drafts'])
      mkdirSync(join(directory, folder), { recursive: true });
    writeFileSync(
      join(directory, 'cases/extra/broken.yaml'),
      'cases:\n  - name: cash is not held\n    facts: { parcel: { paymentMethod: cash } }\n    expect: { lane: hold, fired: [cash-payment] }\n',
    );
    writeFileSync(join(directory, 'cases/extra/zz-unreadable.yaml'), 'cases: [\n');
    writeFileSync(
      join(directory, 'cases/extra/deeper/cash.yaml'),
      'cases:\n  - name: cash is released\n    facts: { parcel: { paymentMethod: cash } }\n    expect: { lane: release, fired: [cash-payment], score: 10 }\n',
    );
    writeFileSync(join(directory, 'cases/.drafts/draft.yaml'), 'not: [a case file\n');

    // Act
    const run = await rules('test', directory);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^ {2}FAIL {2}case file invalid: \S*case-folders\/cases\/extra\/zz-unreadable\.yaml: not valid YAML\/JSON: /m,
    );
    expect(run.stdout).toMatch(
      /^ {2}FAIL {2}cases\/extra\/broken\.yaml: cash is not held {2}→ release \(10\)$/m,
    );
    expect(run.stdout).toMatch(
      /^ +\S*case-folders\/cases\/extra\/broken\.yaml: cases\[0\]\.expect\.lane: lane is release, expected hold$/m,
    );
    expect(run.stdout).toMatch(
      /^ {2}pass {2}cases\/extra\/deeper\/cash\.yaml: cash is released {2}→ release \(10\)$/m,
    );
    expect(run.stdout).not.toContain('.drafts');
    const files = [...run.stdout.matchAll(/^ {2}(?:pass|FAIL) {2}(cases\/[^:]+):/gm)].map(
      (match) => match[1],
    );
    expect([...new Set(files)]).toEqual([
      'cases/demo.yaml',
      'cases/extra/broken.yaml',
      'cases/extra/deeper/cash.yaml',
      'cases/goods-and-weight.yaml',
      'cases/route-and-history.yaml',
    ]);
    expect(run.stdout).toMatch(/ (\d+)\/(\d+) cases passed/);
    const [, passed, all] = / (\d+)\/(\d+) cases passed/.exec(run.stdout)!;
    expect(Number(all) - Number(passed)).toBe(1);
  });

  it('refuses a case on facts screening never gives together, naming the file, the case, the path and why', async () => {
    // Prepare: the README's old example, a seizure without its time
    const directory = copyOfDefault(join(scratch, 'impossible-facts'));
    writeFileSync(
      join(directory, 'cases/impossible.yaml'),
      [
        'cases:',
        '  - name: a seizure without its time',
        '    facts: { history: { consignee: { seizures: 1 } } }',
        '    expect: { lane: review, fired: [consignee-prior-seizure], score: 30 }',
        '  - name: six parcels to the consignee in a one-parcel manifest',
        '    facts: { manifest: { parcelCount: 1, parcelsToConsignee: 6 } }',
        '    expect: { lane: release, fired: [many-parcels-to-consignee], score: 10 }',
        '',
      ].join('\n'),
    );

    // Act
    const run = await rules('test', directory);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^ {2}FAIL {2}cases\/impossible\.yaml: a seizure without its time {2}→ review \(30\)$/m,
    );
    expect(run.stdout).toMatch(
      /^ +\S*impossible-facts\/cases\/impossible\.yaml: cases\[0\]\.facts\.history\.consignee\.seizures: 1, but lastSeizureAt is null: screening gives the time of the last seizure exactly when seizures is above 0$/m,
    );
    expect(run.stdout).toMatch(
      /^ {2}FAIL {2}cases\/impossible\.yaml: six parcels to the consignee in a one-parcel manifest {2}→ release \(10\)$/m,
    );
    expect(run.stdout).toMatch(
      /^ +\S*impossible-facts\/cases\/impossible\.yaml: cases\[1\]\.facts\.manifest\.parcelsToConsignee: 6, but parcelCount is 1: screening counts the manifest's parcels, so at most parcelCount$/m,
    );
  });

  it('passes a case that sets manifest.transport.conveyanceReference, which the contract has', async () => {
    // Prepare
    const directory = join(scratch, 'conveyance');
    mkdirSync(join(directory, 'cases'), { recursive: true });
    writeFileSync(
      join(directory, 'rule-set.yaml'),
      [
        'id: conveyance',
        'label: "t1"',
        'description: a rule on the conveyance reference',
        'owner: tests',
        'lists: []',
        'rules:',
        '  - { id: flight, title: flight, owner: tests, severity: low, score: 30, reason: "flight {manifest.transport.conveyanceReference}", when: { fact: manifest.transport.conveyanceReference, startsWith: CA } }',
        'lanes:',
        '  bands: [{ from: 0, lane: release }, { from: 30, lane: review }]',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(directory, 'cases', 'flight.yaml'),
      'cases:\n  - name: flight CA123\n    facts: { manifest: { transport: { conveyanceReference: CA123 } } }\n    expect: { lane: review, fired: [flight] }\n',
    );

    // Act
    const run = await rules('test', directory);

    // Assess
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('1/1 cases passed, 1/1 rules fired by a case');
  });

  it('warns of a declared list that no rule uses, and still validates', async () => {
    // Prepare: a list declared ahead of the rule that will use it
    const directory = alteredCopy(
      'unused-list',
      'rule-set.yaml',
      'lists: [border-origins,',
      'lists: [transit-hubs, border-origins,',
    );
    writeFileSync(
      join(directory, 'lists', 'transit-hubs.yaml'),
      'name: transit-hubs\nversion: 1\nowner: tests\ndescription: hubs\nvalues: [Kunming]\n',
    );

    // Act
    const run = await rules('validate', directory);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warn .*rule-set\.yaml: lists declares transit-hubs, which no rule uses/);
    expect(run.stderr).not.toMatch(/border-origins, which no rule uses/);
  });

  it.each<[string, unknown, RegExp[]]>([
    [
      'a recent seizure in days, in the reason and the trace',
      { history: { consignee: { seizures: 1, lastSeizureAt: '2026-04-17T20:00:00Z' } } },
      [
        /consignee-seizure-last-90-days \(\+40\): consignee had a seizure 44\.5 days ago \(on 2026-04-17T20:00:00Z\)/,
        /^ {2}daysSinceConsigneeSeizure = 44\.5$/m,
        /✗ daysBetween\(history\.consignee\.firstSeen, now\) = 455\.916667 {2}lt 7/,
      ],
    ],
    [
      'an instant that is not one, as a missing value with its note',
      { history: { consignee: { seizures: 1, lastSeizureAt: '03/03/2026' } } },
      [
        /\? derived\.daysSinceConsigneeSeizure = null {2}lte 90 {2}\(derived\.daysSinceConsigneeSeizure is missing: an ISO 8601 instant in history\.consignee\.lastSeizureAt is missing\)/,
      ],
    ],
  ])('explains recency rules (daysSince, daysBetween): %s', async (_name, input, expected) => {
    // Prepare
    const file = scratchFile(`recency-${expected.length}.json`, input);

    // Act
    const run = await rules('explain', file, '--rule-set', 'test/fixtures/rule-sets/recency');

    // Assess
    expect(run.code).toBe(0);
    for (const pattern of expected) expect(run.stdout).toMatch(pattern);
  });

  it('answers an unknown command with the whole usage and exit code 2', async () => {
    // Act
    const run = await rules('publish');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command publish');
    expect(run.stderr).toContain('usage: npm run rules -- <command>');
    expect(run.stderr).toContain('schema [--out dir]');
  });

  it('answers a name every object has (toString) as an unknown command, not as a command', async () => {
    // Act
    const run = await rules('toString', 'rules/default');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('unknown command toString');
    expect(run.stderr).toMatch(/^usage: npm run rules -- <command>$/m);
  });

  it('asks explain without a file for one, with the explain usage line (exit 2)', async () => {
    // Act
    const run = await rules('explain');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      'explain needs a parcel or facts file',
      expect.stringMatching(/^usage: npm run rules -- explain <parcel-or-facts> /),
    ]);
  });

  it('prints the whole usage on stderr when no command is given, with exit code 2', async () => {
    // Act
    const run = await rulesSpawned();

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^usage: npm run rules -- <command>$/m);
    expect(run.stdout).toBe('');
  });

  it.each([
    [
      'ends before it starts, echoing the days as given',
      ['--since', '2026-12-01', '--until', '2026-11-01'],
      '--since 2026-12-01 is not before --until 2026-11-01 (through the end of that day)',
    ],
    [
      'ends when it starts',
      ['--since', '2026-11-01T08:00:00Z', '--until', '2026-11-01T08:00:00Z'],
      '--since 2026-11-01T08:00:00Z is not before --until 2026-11-01T08:00:00Z',
    ],
    [
      'starts in the future, where no parcel has been decided',
      ['--since', '2999-01-01', '--until', '2999-02-01'],
      '--since 2999-01-01 is in the future: no parcel has been decided since then',
    ],
  ])('refuses a backtest period that %s (exit 2)', async (_name, period, refusal) => {
    // Act: the period is refused before any table is read
    const run = await rulesTool(['backtest', ...period], {
      AWS_REGION: 'eu-west-1',
      DECISIONS_TABLE: 'decisions',
      REVIEW_QUEUE_TABLE: 'review-queue',
      PARTY_KEY_SALT: 'rules-cli-period-salt-0123',
    });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(refusal);
  });

  it('prints the whole usage on --help, with exit code 0', async () => {
    // Act
    const run = await rulesSpawned('--help');

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run rules -- <command>$/m);
    expect(run.stdout).toContain('schema [--out dir]');
  });

  it.each([
    [['validate', 'no-such-directory'], 'no-such-directory: no such file or directory', 'validate [path]'],
    [['explain', '--parcle', 'X'], "Unknown option '--parcle'", 'explain <parcel-or-facts> '],
    [
      ['test', 'rules/default', 'rules/nope'],
      'test takes one path at most; also given: rules/nope',
      'test [path]',
    ],
    [['validate', '--json'], 'validate does not take --json', 'validate [path]'],
    [['backtest', '--out', 'x'], 'backtest does not take --out', 'backtest [dir]'],
    [
      ['schema', '--out', 'package.json'],
      '--out package.json: EEXIST: not a folder the schemas can be written into',
      'schema [--out dir]',
    ],
    [['schema', '--out='], '--out needs a folder to write the schemas into', 'schema [--out dir]'],
    [
      ['schema', 'some/dir'],
      'schema takes no folder: to write the schemas into some/dir, use --out some/dir',
      'schema [--out dir]',
    ],
  ])(
    'answers an input error (%j) with one line and the command’s usage line, not the whole usage',
    async (args, error, synopsis) => {
      // Act
      const run = await rules(...args);

      // Assess
      expect(run.code).toBe(2);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toContain(error);
      expect(lines[1]).toContain(`usage: npm run rules -- ${synopsis}`);
      expect(lines[1]).toMatch(/^usage: npm run rules -- \S.*\(all commands: npm run rules -- --help\)$/);
      expect(run.stderr).not.toMatch(/^usage: npm run rules -- <command>$/m);
    },
  );

  // Node's own recursive mkdir spins forever there: /proc answers ENOENT for a folder it cannot hold.
  it.runIf(process.platform === 'linux')(
    'refuses an --out under /proc at once, as a folder it cannot write',
    async () => {
      // Act
      const run = await rules('schema', '--out', '/proc/parcelguard/schemas');

      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        '--out /proc/parcelguard/schemas: ENOENT: not a folder the schemas can be written into',
      );
    },
  );

  it.each([
    ['backtest'],
    ['shadow'],
    // A period through year 9999 is read up to now: past it, ISO text would sort before the decisions'.
    ['backtest', '--until', '9999-12-31'],
    ['shadow', '--since', '2026-11-01', '--until', '9999-12-31'],
  ])(
    'says %s could not read the deployment’s tables, with exit code 3 and no stack',
    async (command, ...period) => {
      // Act: nothing listens on port 1 (no stack), and the calls are not checked against the policy,
      // which would refuse them first, naming no table of a stack
      const run = await runInProcess(runRulesCli, [command, ...period], {
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
        DECISIONS_TABLE: 'decisions',
        REVIEW_QUEUE_TABLE: 'review-queue',
        PARTY_KEY_SALT: 'rules-cli-unreachable-salt',
      });

      // Assess
      expect(run.code).toBe(3);
      expect(run.stderr.startsWith(`${command} could not read the deployment's tables: `)).toBe(true);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    },
  );

  it('validates and tests the rule set a rule-set file path names, as its directory', async () => {
    // Act
    const run = await rules('validate', 'rules/default/rule-set.yaml');
    const tested = await rules('test', 'rules/default/rule-set.yaml');

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok {2}rules\/default: default \S+ \(sha256:[0-9a-f]{16}\)/m);
    expect(tested.code).toBe(0);
    expect(tested.stdout).toMatch(/(\d+)\/\1 cases passed, 18\/18 rules fired by a case/);
  });

  it('validates a rule-set file named with ./, as its directory', async () => {
    // Act
    const run = await rules('validate', './rules/default/rule-set.yaml');

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ok {2}\.\/rules\/default: default /m);
  });

  it('refuses a rule-set.* file in a folder that holds no rule set as a file, not a rule set (exit 2)', async () => {
    // Prepare
    const directory = join(scratch, 'no-rule-set');
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'rule-set.md'), '# notes\n');

    // Act
    const run = await rules('validate', join(directory, 'rule-set.md'));

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      `${join(directory, 'rule-set.md')} is a file, not a rule set: pass the directory that holds rule-set.yaml`,
    );
  });

  it('explains with an invalid --rule-set as an invalid rule set (exit 1), naming the issue', async () => {
    // Prepare
    const broken = alteredCopy(
      'explain-broken',
      'rule-set.yaml',
      'fact: parcel.route.origin.city',
      'fact: parcel.route.origin.town',
    );

    // Act
    const run = await explainDemo('--rule-set', broken);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^rule set invalid: 1 issue\(s\)$/m);
    expect(run.stderr).toMatch(/unknown fact parcel\.route\.origin\.town/);
    expect(run.stdout).toBe('');
  });

  it('refuses a folder with no rule set at or under it (exit 2)', async () => {
    // Prepare
    const empty = join(scratch, 'empty-folder');
    mkdirSync(empty, { recursive: true });

    // Act
    const run = await rules('validate', empty);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(`no rule set (rule-set.yaml) at or under ${empty}`);
  });

  it('refuses an explain --rule-set folder that holds no rule set as a usage error (exit 2)', async () => {
    // Act
    const run = await explainDemo('--rule-set', 'rules/reference');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('--rule-set rules/reference: no rule set (rule-set.yaml) in it');
  });

  it('refuses a file that is not a rule-set file, in one line saying to pass the directory (exit 2)', async () => {
    // Act
    const run = await rules('validate', 'rules/default/lists/border-origins.yaml');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'rules/default/lists/border-origins.yaml is a file, not a rule set: pass the directory that holds rule-set.yaml',
    );
  });

  it('refuses a rule-set file the loader would not read, one beside a rule-set.yaml (exit 2)', async () => {
    // Prepare
    const directory = copyOfDefault(join(scratch, 'shadowed-json'));
    writeFileSync(join(directory, 'rule-set.json'), '{}');

    // Act
    const run = await rules('validate', join(directory, 'rule-set.json'));

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the rule set in ${directory} is ${join(directory, 'rule-set.yaml')}`);
  });

  it('explains with --rule-set that does not exist as a usage error (exit 2), not an invalid rule set', async () => {
    // Act
    const run = await explainDemo('--rule-set', 'rules/no-such-set');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--rule-set rules/no-such-set: no such file or directory');
    expect(run.stderr).not.toContain('rule set invalid');
    expect(run.stdout).toBe('');
  });

  it('backtests a rule set directory that does not exist as a usage error (exit 2), before any setting', async () => {
    // Act
    const run = await rules('backtest', 'rules/no-such-set');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('backtest rules/no-such-set: no such file or directory');
  });

  it('explains with --rule-set naming a rule-set file, as its directory', async () => {
    // Act
    const run = await explainDemo('--rule-set', 'rules/default/rule-set.yaml');

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('lane hold, score 110');
  });

  it('refuses --parcel on a file that is one parcel, not a manifest, in one line (exit 2)', async () => {
    // Prepare
    const file = scratchFile('one-parcel.json', ruiliManifest().parcels[0]);

    // Act
    const run = await rules('explain', file, '--parcel', 'SWF7781000123');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      `--parcel SWF7781000123 picks a parcel of a manifest, but ${file} is one parcel or facts (it has no parcels list): leave out --parcel`,
    );
    expect(run.stdout).toBe('');
  });
});

describe('the rules CLI run from another folder than the repository root', () => {
  /** `npm run rules -- <command>` typed in `folder`: npm runs it in the repository root, with INIT_CWD set. */
  const rulesIn = (folder: string, ...args: string[]) => rulesTool(args, { INIT_CWD: folder });
  const folders = mkdtempSync(join(tmpdir(), 'rules-cli-folder-'));

  afterAll(() => rmSync(folders, { recursive: true, force: true }));

  it('reads a path typed relative to that folder, and names the rule set by its folder from there', async () => {
    // Act
    const run = await rulesIn(resolve(REPO_ROOT, 'rules/default'), 'validate', 'rule-set.yaml');

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ok {2}\.: default \S+ \(sha256:[0-9a-f]{16}\), 18 rules, 5 lists$/m);
  });

  it('explains a parcel file with --rule-set and writes --out, each relative to that folder', async () => {
    // Prepare
    const folder = join(folders, 'explain');
    copyOfDefault(join(folder, 'mine'));
    cpSync(resolve(REPO_ROOT, RUILI), join(folder, 'manifest.json'));

    // Act
    const explained = await rulesIn(
      folder,
      'explain',
      'manifest.json',
      '--parcel',
      'SWF7781000123',
      '--rule-set',
      'mine',
    );
    const written = await rulesIn(folder, 'schema', '--out', 'schemas/2026');

    // Assess
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toContain('lane hold, score 110');
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain('wrote schemas/2026/rule-set.schema.json');
    expect(existsSync(join(folder, 'schemas/2026/list.schema.json'))).toBe(true);
  });

  it('refuses to work from a folder that does not exist, naming it (exit 2)', async () => {
    // Prepare
    const gone = join(folders, 'gone');

    // Act: as npm starts it, for the folder is changed to before anything else
    const run = await runTool('functions/tools/rules-cli.ts', ['validate'], { INIT_CWD: gone });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `INIT_CWD ${gone} (the folder npm was run from): ENOENT: paths cannot be read from it`,
      expect.stringMatching(/^usage: npm run rules -- validate \[path\] /),
    ]);
    expect(run.stdout).toBe('');
  });

  it('refuses --out of blanks, writing nothing (exit 2)', async () => {
    // Prepare
    const folder = join(folders, 'blank-out');
    mkdirSync(folder, { recursive: true });

    // Act
    const run = await rulesIn(folder, 'schema', '--out', ' ');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('--out needs a folder to write the schemas into');
    expect(existsSync(join(folder, ' '))).toBe(false);
  });

  it('works from the repository root when INIT_CWD is empty', async () => {
    // Act
    const run = await rulesIn('', 'validate', 'rules/default');

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ok {2}rules\/default: default /m);
  });

  it("validates the repository's rules/ when no path is given, naming them from that folder", async () => {
    // Act
    const run = await rulesIn(resolve(REPO_ROOT, 'rules/default'), 'validate');

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ok {2}\.\.\/default: default /m);
  });

  it('validates . as that folder, skipping build output, installed packages and dot folders', async () => {
    // Prepare: the copies cdk synth, npm and the tools leave beside a rule set
    const folder = join(folders, 'with-copies');
    copyOfDefault(join(folder, 'mine'));
    for (const copy of [
      'cdk.out/asset.0123abcd/rules/default',
      'node_modules/some-package/rules/default',
      'coverage/rules/default',
      'dist/rules/default',
      '.tmp/rules/default',
    ]) {
      mkdirSync(join(folder, copy), { recursive: true });
      writeFileSync(join(folder, copy, 'rule-set.yaml'), 'not: a rule set\n');
    }

    // Act
    const run = await rulesIn(folder, 'validate', '.');

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^ok {2}mine: default \S+ \(sha256:[0-9a-f]{16}\), 18 rules, 5 lists$/),
    ]);
  });
});
