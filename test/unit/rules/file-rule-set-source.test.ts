import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import {
  findRuleSetDirectories,
  loadRuleSet,
  loadRuleSetFromDirectory,
  readCaseFiles,
  readHashedRuleSetDirectory,
  readRuleSetsUnder,
} from '../../../functions/adapters/file-rule-set-source.js';
import { RuleSetError } from '../../../functions/core/rules/index.js';
import { issuesOf } from './rule-set-factory.js';

const RULE_SET = `id: tmp
label: tmp-1
description: temporary
owner: tests
lists: [origins]
rules:
  - id: origin
    title: Origin on list
    owner: tests
    severity: low
    score: 40
    reason: from {parcel.route.origin.city}
    when: { fact: parcel.route.origin.city, in: { list: origins } }
lanes:
  bands: [{ from: 0, lane: release }, { from: 30, lane: review }]
`;
const LIST = 'name: origins\nversion: 1\nowner: tests\ndescription: origins\nvalues: [Ruili]\n';
const CASES =
  'cases:\n  - name: ruili\n    facts: { parcel: { route: { origin: { city: Ruili } } } }\n    expect: { lane: review, fired: [origin] }\n';

describe('file rule set source', () => {
  let root: string;
  let dir: string;

  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rule-set-'));
    dir = join(root, 'tmp');
    mkdirSync(dir);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('loads a YAML rule set with its lists and cases', () => {
    // Prepare
    write('rule-set.yaml', RULE_SET);
    write('lists/origins.yaml', LIST);
    write('cases/basic.yaml', CASES);

    // Act
    const loaded = loadRuleSet(dir);

    // Assess
    expect(loaded.policy.id).toBe('tmp');
    expect(readCaseFiles(dir)).toEqual({
      files: [{ file: join(dir, 'cases/basic.yaml'), document: parse(CASES) }],
      issues: [],
    });
    expect(loadRuleSetFromDirectory(dir).version).toBe(loaded.policy.version);
    expect(findRuleSetDirectories(root)).toEqual([dir]);
  });

  it("finds rule sets at any depth, skipping dot folders, node_modules, build output and a rule set's lists and cases", () => {
    // Prepare
    const ruleSetAt = (path: string) => {
      mkdirSync(join(root, path), { recursive: true });
      writeFileSync(join(root, path, 'rule-set.yaml'), RULE_SET);
    };
    ruleSetAt('tmp');
    ruleSetAt('tmp/variants/strict');
    ruleSetAt('team/a/deep');
    ruleSetAt('team/b');
    ruleSetAt('tmp/lists/not-a-rule-set');
    ruleSetAt('tmp/cases/not-a-rule-set');
    ruleSetAt('.drafts/hidden');
    ruleSetAt('node_modules/package');
    ruleSetAt('cdk.out/asset.0123abcd/rules/default');
    ruleSetAt('coverage/copy');
    ruleSetAt('dist/rules/default');

    // Act
    const found = findRuleSetDirectories(root);

    // Assess
    expect(found).toEqual([
      join(root, 'team/a/deep'),
      join(root, 'team/b'),
      join(root, 'tmp'),
      join(root, 'tmp/variants/strict'),
    ]);
    expect(findRuleSetDirectories(join(root, 'nowhere'))).toEqual([]);
  });

  it('names every file of a rule set that does not parse in one run: the rule set and each list', () => {
    // Prepare
    write('rule-set.yaml', 'id: [unclosed\n');
    write('lists/origins.yaml', 'values: [unclosed\n');
    write('lists/phones.yaml', '{ not: yaml\n');
    write('lists/towns.yaml', LIST.replace('name: origins', 'name: towns'));

    // Act
    const issues = issuesOf(() => readHashedRuleSetDirectory(dir));

    // Assess
    expect(issues.map((issue) => issue.file)).toEqual([
      join(dir, 'rule-set.yaml'),
      join(dir, 'lists/origins.yaml'),
      join(dir, 'lists/phones.yaml'),
    ]);
  });

  it('reads every rule set under a folder, and stops at the first that cannot be read, naming it', () => {
    // Prepare: a, b and d readable; c unreadable (its YAML does not parse)
    const ruleSetAt = (path: string, text = RULE_SET) => {
      mkdirSync(join(root, path, 'lists'), { recursive: true });
      writeFileSync(join(root, path, 'rule-set.yaml'), text);
      writeFileSync(join(root, path, 'lists/origins.yaml'), LIST);
    };
    rmSync(dir, { recursive: true });
    ruleSetAt('a');
    ruleSetAt('b');
    const readable = readRuleSetsUnder(root, 'salt');
    ruleSetAt('c', 'id: [unclosed\n');
    ruleSetAt('d');

    // Act
    const read = readRuleSetsUnder(root, 'salt');

    // Assess
    expect(readable).toEqual({
      ruleSets: [join(root, 'a'), join(root, 'b')].map((at) => readHashedRuleSetDirectory(at, 'salt')),
    });
    expect(read).toEqual({
      unreadable: join(root, 'c'),
      issues: issuesOf(() => readHashedRuleSetDirectory(join(root, 'c'))),
    });
  });

  it('loads the same rule set written as JSON with the same version', () => {
    // Prepare
    write('rule-set.yaml', RULE_SET);
    write('lists/origins.yaml', LIST);
    const yamlVersion = loadRuleSetFromDirectory(dir).version;
    rmSync(join(dir, 'rule-set.yaml'));
    write('rule-set.json', JSON.stringify(parse(RULE_SET)));

    // Act
    const version = loadRuleSetFromDirectory(dir).version;

    // Assess
    expect(version).toBe(yamlVersion);
  });

  it('rejects YAML table keys that are not quoted strings, naming each', () => {
    // Prepare
    write(
      'rule-set.yaml',
      `${RULE_SET}tables:
  typical-weight-kg:
    description: kg per unit
    match: prefix
    entries: { 0813: 0.5, "0902": 2, 9403: 20, true: 1 }
  rates: { description: CNY per unit, match: exact, entries: { CNY: 1, "USD": 7.1 } }
`,
    );
    write('lists/origins.yaml', LIST);

    // Act
    const run = () => loadRuleSet(dir);

    // Assess
    expect(run).toThrow(RuleSetError);
    const file = join(dir, 'rule-set.yaml');
    try {
      run();
    } catch (error) {
      expect((error as RuleSetError).issues).toEqual([
        {
          file,
          path: 'tables.typical-weight-kg.entries.0813',
          reason: 'table keys must be quoted strings: 0813 would be read as the number 813',
        },
        {
          file,
          path: 'tables.typical-weight-kg.entries.9403',
          reason: 'table keys must be quoted strings: 9403 would be read as the number 9403',
        },
        {
          file,
          path: 'tables.typical-weight-kg.entries.true',
          reason: 'table keys must be quoted strings: true would be read as the boolean true',
        },
      ]);
    }
  });

  it.each([
    [
      'quoted YAML keys',
      'rule-set.yaml',
      `${RULE_SET}tables: { t: { description: d, match: prefix, entries: { "0813": 0.5, '9403': 20 } } }\n`,
    ],
    [
      'JSON keys',
      'rule-set.json',
      JSON.stringify({
        ...parse(RULE_SET),
        tables: { t: { description: 'd', match: 'prefix', entries: { '0813': 0.5, '9403': 20 } } },
      }),
    ],
  ])('loads table keys written as %s', (_name, path, text) => {
    // Prepare
    write(path, text);
    write('lists/origins.yaml', LIST);

    // Act
    const policy = loadRuleSetFromDirectory(dir);

    // Assess
    expect(policy.id).toBe('tmp');
  });

  it('refuses a watchlist value equal to an earlier one after normalization, by position only', () => {
    // Prepare
    write('rule-set.yaml', RULE_SET.replace('lists: [origins]', 'lists: [origins, watched-phones]'));
    write('lists/origins.yaml', LIST);
    write(
      'lists/watched-phones.yaml',
      'name: watched-phones\nversion: 1\nowner: tests\ndescription: phones\nholds: phone\ncountry: CN\nvalues: ["+86 139 0000 0001", "139 0000 0002", "139-0000-0001"]\n',
    );

    // Act
    const run = () => loadRuleSet(dir);

    // Assess
    expect(run).toThrow(RuleSetError);
    try {
      run();
    } catch (error) {
      expect((error as RuleSetError).issues).toEqual([
        {
          file: join(dir, 'lists/watched-phones.yaml'),
          path: 'values[2]',
          reason: 'list watched-phones: the same phone as values[0] after normalization',
        },
      ]);
    }
  });

  it.each([
    [
      'a YAML syntax error',
      'rule-set.yaml',
      'id: [tmp\n',
      { path: '(root)', reason: /^not valid YAML\/JSON/ },
    ],
    [
      'a list file named differently from its list',
      'lists/places.yaml',
      LIST,
      { path: 'name', reason: /^list origins must live in a file named origins\.yaml/ },
    ],
    [
      'aliases that expand without bound (a "billion laughs")',
      'rule-set.yaml',
      RULE_SET.replace(
        'severity: low',
        `severity: low\n    tags: [&t a, ${Array(100).fill('*t').join(', ')}]`,
      ),
      { path: '(root)', reason: /^not valid YAML\/JSON: Excessive alias count/ },
    ],
    [
      'a condition that is a YAML alias inside its own anchor',
      'rule-set.yaml',
      RULE_SET.replace(
        'when: { fact: parcel.route.origin.city, in: { list: origins } }',
        'when: &c { not: *c }',
      ),
      { ruleId: 'origin', path: /^rules\[0\]\.when(\.not)+$/, reason: /YAML alias inside its own anchor/ },
    ],
    [
      'hashed written in a watchlist file, which only the loader sets',
      'lists/origins.yaml',
      `${LIST}hashed: true\n`,
      { path: 'hashed', reason: /^hashed is set by the loader when it hashes a watchlist, never in a file/ },
    ],
    [
      'saltProof written in a watchlist file, which only the loader sets',
      'lists/origins.yaml',
      `${LIST}saltProof: ph_AAAAAAAAAAAAAAAAAAAAAA\n`,
      {
        path: 'saltProof',
        reason: /^saltProof is set by the loader when it hashes a watchlist, never in a file/,
      },
    ],
  ])('refuses %s, naming the file and the path', (_name, path, text, expected) => {
    // Prepare
    write('rule-set.yaml', RULE_SET);
    write('lists/origins.yaml', LIST);
    write(path, text);

    // Act
    const issues = issuesOf(() => loadRuleSet(dir));

    // Assess
    expect(issues).toContainEqual({
      file: join(dir, path),
      ...('ruleId' in expected ? { ruleId: expected.ruleId } : {}),
      path: typeof expected.path === 'string' ? expected.path : expect.stringMatching(expected.path),
      reason: expect.stringMatching(expected.reason),
    });
  });

  it.each([
    [
      'a rule',
      RULE_SET.replace('    owner: tests\n    severity: low\n', '    <<: *common\n').replace(
        'rules:\n',
        'common: &common { owner: tests, severity: low }\nrules:\n',
      ),
      'rule-set.yaml',
      { ruleId: 'origin', path: 'rules[0].<<' },
    ],
    [
      'a list',
      'name: origins\nversion: 1\n<<: { owner: tests, description: origins }\nvalues: [Ruili]\n',
      'lists/origins.yaml',
      { path: '<<' },
    ],
  ])('refuses a YAML merge key in %s as a merge key, not an unknown field', (_name, text, file, at) => {
    // Prepare
    write(file === 'rule-set.yaml' ? file : 'rule-set.yaml', file === 'rule-set.yaml' ? text : RULE_SET);
    write('lists/origins.yaml', file === 'rule-set.yaml' ? LIST : text);

    // Act
    const issues = issuesOf(() => loadRuleSet(dir));

    // Assess
    expect(issues).toEqual([
      {
        file: join(dir, file),
        ...at,
        reason:
          'YAML merge keys (<<: *anchor) are not supported: write the fields out (an alias, *anchor, may stand for a whole value)',
      },
    ]);
  });

  it('refuses lists written as a file instead of a folder', () => {
    // Prepare
    write('rule-set.yaml', RULE_SET);
    write('lists', LIST);

    // Act
    const run = () => loadRuleSet(dir);

    // Assess
    expect(run).toThrow(RuleSetError);
    expect(run).toThrow(
      `${join(dir, 'lists')} at (root): lists must be a directory of YAML or JSON files, not a file`,
    );
  });

  it('gives the issue of cases written as a file instead of a folder when the cases are read', () => {
    // Prepare
    write('rule-set.yaml', RULE_SET);
    write('lists/origins.yaml', LIST);
    write('cases', CASES);

    // Act
    const { files, issues } = readCaseFiles(dir);

    // Assess
    expect(files).toEqual([]);
    expect(issues).toEqual([
      {
        file: join(dir, 'cases'),
        path: '(root)',
        reason: 'cases must be a directory of YAML or JSON files, not a file',
      },
    ]);
  });

  it('loads a rule set whose case file is broken, which only reading the cases reports, beside the others', () => {
    // Prepare: screening reads the rule set as readHashedRuleSetDirectory does
    write('rule-set.yaml', RULE_SET);
    write('lists/origins.yaml', LIST);
    write('cases/a-broken.yaml', 'cases:\n  - name: x\n    facts: {parcel: {pieceCount: 2}\n');
    write('cases/basic.yaml', CASES);

    // Act
    const loaded = loadRuleSet(dir);
    const read = readHashedRuleSetDirectory(dir, 'screen-salt-0123456789');
    const { files, issues } = readCaseFiles(dir);

    // Assess
    expect(loaded.policy.id).toBe('tmp');
    expect(read.input.lists).toHaveLength(1);
    expect(files.map((file) => file.file)).toEqual([join(dir, 'cases/basic.yaml')]);
    expect(issues).toEqual([
      {
        file: join(dir, 'cases/a-broken.yaml'),
        path: '(root)',
        reason: expect.stringMatching(/^not valid YAML\/JSON: /),
      },
    ]);
  });

  it('says a YAML warning in one line naming the file, not as a Node process warning', () => {
    // Prepare
    write('rule-set.yaml', RULE_SET.replace('label: tmp-1', 'label: !unknown tmp-1'));
    write('lists/origins.yaml', LIST);
    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const warned = vi.spyOn(process, 'emitWarning');

    // Act
    try {
      loadRuleSet(dir);
    } finally {
      stderr.mockRestore();
    }

    // Assess
    expect(written).toEqual([
      `${join(dir, 'rule-set.yaml')}: YAML warning: Unresolved tag: !unknown at line 2, column 8\n`,
    ]);
    expect(warned).not.toHaveBeenCalled();
    warned.mockRestore();
  });

  it('fails on a directory without a rule set', () => {
    // Prepare / Act
    const run = () => loadRuleSet(dir);

    // Assess
    expect(run).toThrow(/no rule-set\.yaml or rule-set\.yml or rule-set\.json in this directory/);
  });
});
