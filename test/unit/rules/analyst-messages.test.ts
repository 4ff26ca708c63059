import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_CATEGORIES } from '../../../events/manifest-v1.js';
import { readDataFile } from '../../../functions/adapters/file-rule-set-source.js';
import {
  baselineFacts,
  checkFactsInput,
  factsFromInput,
  runCases,
} from '../../../functions/core/rules/cases/index.js';
import { type ConditionTrace, compileRuleSet, showExpected } from '../../../functions/core/rules/index.js';
import {
  compile,
  facts,
  goodsLine,
  issuesOf,
  list,
  RULE_SET_FILE,
  type RuleSetParts,
  rule,
  ruleSetInput,
} from './rule-set-factory.js';

/**
 * The load-time and explain messages an analyst met that misled (.scratch/ana/report.md): each now says
 * what is wrong and how to write it, at the file, rule and JSON path.
 */

const OK = { fact: 'parcel.pieceCount', gte: 1 };
const HS = 'HS code of 6 to 10 digits, no dots';
const QUOTE_VALUES =
  'quote its values (YAML reads a plain 0813 as the number 813: keep their leading zeros inside the quotes)';
const onLine = (where: unknown) => ({ some: { of: 'parcel.goods', as: 'line', where } });
const broken = (when: unknown, lists: Record<string, unknown>[] = []): RuleSetParts => ({
  rules: [rule('first', OK), rule('broken', when)],
  lists,
});
const at = (path: string) => `rules[1].when.${path}`;

describe('load-time messages say what an analyst wrote wrong and how to write it', () => {
  it.each<[string, RuleSetParts, { file?: string; ruleId?: string; path: string; reason: string | RegExp }]>([
    [
      'an HS code literal with a dot',
      broken(onLine({ fact: 'line.hsCode', eq: '9403.60' })),
      {
        ruleId: 'broken',
        path: at('some.where.eq'),
        reason: `"9403.60" can never match line.hsCode (${HS}): write 940360`,
      },
    ],
    [
      'an HS code with a dot in a named list, by the list and the value’s index',
      broken(onLine({ fact: 'line.hsCode', startsWith: { list: 'carved-furniture-hs' } }), [
        list('carved-furniture-hs', ['4420', '9403.60']),
      ]),
      {
        ruleId: 'broken',
        path: at('some.where.startsWith.list'),
        reason: `list carved-furniture-hs values[1]: "9403.60" can never match line.hsCode (${HS}): write 940360`,
      },
    ],
    [
      'several such values of a list, the first named and the others counted',
      broken(onLine({ fact: 'line.hsCode', notIn: { list: 'hs' } }), [
        list('hs', ['940360', '9403.60', '4420.90']),
      ]),
      {
        ruleId: 'broken',
        path: at('some.where.notIn.list'),
        reason: `list hs values[1]: "9403.60" can never match line.hsCode (${HS}): write 940360 (and 1 more of its values)`,
      },
    ],
    [
      'an HS code literal too short to equal one, at its position in the set',
      broken(onLine({ fact: 'line.hsCode', in: ['940360', '9403'] })),
      {
        ruleId: 'broken',
        path: at('some.where.in[1]'),
        reason: `"9403" can never match line.hsCode (${HS}): to match the values that start with it, use startsWith`,
      },
    ],
    [
      'an HS code prefix longer than any HS code',
      broken(onLine({ fact: 'line.hsCode', startsWith: '94036012345' })),
      {
        ruleId: 'broken',
        path: at('some.where.startsWith'),
        reason: `"94036012345" can never match line.hsCode (${HS})`,
      },
    ],
    [
      'a country name where the contract has a two-letter code (another format the contract knows)',
      broken({ fact: 'parcel.route.origin.country', eq: 'China' }),
      {
        ruleId: 'broken',
        path: at('eq'),
        reason:
          '"China" can never match parcel.route.origin.country (ISO 3166-1 alpha-2 country code, e.g. CN)',
      },
    ],
    [
      'matches given a list',
      broken(onLine({ fact: 'line.description', matches: { list: 'cover-words' } }), [
        list('cover-words', ['tea']),
      ]),
      {
        ruleId: 'broken',
        path: at('some.where.matches'),
        reason:
          "matches takes one pattern (a string); to match any of a list's values use containsAny (containsAnyWord for whole words)",
      },
    ],
    [
      'matches given several patterns',
      broken({ fact: 'parcel.consignee.name', matches: ['^mr', '^mrs'] }),
      {
        ruleId: 'broken',
        path: at('matches'),
        reason:
          'matches takes one pattern (a string); to match any of several, join them with | in one pattern, or use containsAny (containsAnyWord for whole words)',
      },
    ],
    [
      'a rule set without lanes',
      { rules: [rule('first', OK)], extra: { lanes: undefined } },
      { path: 'lanes', reason: 'missing: a required field, expected object' },
    ],
    [
      'a rule without a title',
      { rules: [rule('first', OK), rule('broken', OK, { title: undefined })] },
      { ruleId: 'broken', path: 'rules[1].title', reason: 'missing: a required field, expected string' },
    ],
    [
      'an expression no one has defined',
      broken({ value: { hourOf: 'now' }, gte: 0 }),
      {
        ruleId: 'broken',
        path: at('value'),
        reason:
          /^unknown expression hourOf; an expression is a number or one of fact, add, sub, mul, div, min, max, coalesce, sum, count, (\w+, )*lookup, daysSince, daysBetween(, \w+)*$/,
      },
    ],
    [
      'an expression misspelt, with the one meant',
      broken({ value: { daysSinse: 'now' }, gte: 0 }),
      {
        ruleId: 'broken',
        path: at('value'),
        reason:
          /^unknown expression daysSinse; an expression is a number or one of fact, .*; did you mean daysSince\?$/,
      },
    ],
    [
      'a quoted fact path with an index, said as the YAML error of it unquoted says it',
      broken({ fact: 'parcel.goods[0].hsCode', eq: '940360' }),
      {
        ruleId: 'broken',
        path: at('fact'),
        reason:
          'a dotted fact path such as parcel.route.origin.city, each name letters and digits starting with a letter: "goods[0]" has "["; a fact path cannot index a list (parcel.goods[…]): use some, every or count over parcel.goods',
      },
    ],
    [
      'a list of HS chapters YAML read as numbers, used as prefixes',
      broken(onLine({ fact: 'line.hsCode', startsWith: { list: 'agricultural-hs' } }), [
        list('agricultural-hs', [6, 7, 9]),
      ]),
      {
        ruleId: 'broken',
        path: at('some.where.startsWith.list'),
        reason: `list agricultural-hs holds numbers, not text: ${QUOTE_VALUES}`,
      },
    ],
    [
      'a list of numbers compared with text by in',
      broken(onLine({ fact: 'line.hsCode', in: { list: 'hs' } }), [list('hs', [940360, 442090])]),
      {
        ruleId: 'broken',
        path: at('some.where.in'),
        reason: `in compares line.hsCode (text) with 940360, a value of list hs: ${QUOTE_VALUES}`,
      },
    ],
    [
      'a number in a literal set of text',
      broken(onLine({ fact: 'line.hsCode', in: [940360] })),
      {
        ruleId: 'broken',
        path: at('some.where.in'),
        reason:
          'in compares line.hsCode (text) with 940360: quote it, "940360" (YAML reads a plain 0813 as the number 813: keep its leading zeros inside the quotes)',
      },
    ],
    [
      'a number among literal prefixes',
      broken(onLine({ fact: 'line.hsCode', startsWith: ['44', 6] })),
      {
        ruleId: 'broken',
        path: at('some.where.startsWith[1]'),
        reason:
          'expected text, not the number 6: quote it, "6" (YAML reads a plain 0813 as the number 813: keep its leading zeros inside the quotes)',
      },
    ],
  ])('%s', (_name, parts, expected) => {
    const issues = issuesOf(() => compile(parts));

    const { reason, ...where } = expected;
    expect(issues).toEqual([
      {
        file: RULE_SET_FILE,
        ...where,
        reason: typeof reason === 'string' ? reason : expect.stringMatching(reason),
      },
    ]);
  });

  it.each<[string, unknown]>([
    ['an HS code', onLine({ fact: 'line.hsCode', eq: '940360' })],
    [
      'an HS code in full-width digits, equal to one after normalization',
      onLine({ fact: 'line.hsCode', eq: '９４０３６０' }),
    ],
    ['an HS chapter as a prefix', onLine({ fact: 'line.hsCode', startsWith: ['44', '9403'] })],
    ['a ten-digit HS code in a set', onLine({ fact: 'line.hsCode', notIn: ['9403600010'] })],
    ['a country code in lower case', { fact: 'parcel.route.origin.country', eq: 'cn' }],
    ['text of no format the contract knows', { fact: 'parcel.route.origin.city', eq: '9403.60' }],
  ])('still loads %s', (_name, when) => {
    expect(() => compile({ rules: [rule('r', when)] })).not.toThrow();
  });
});

describe('a YAML error where a fact path indexes a list', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'analyst-messages-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [
      'an unquoted fact path with an index in a flow map',
      'when: { fact: parcel.goods[0].hsCode, eq: "940360" }\n',
      'not valid YAML/JSON: Unexpected flow-seq-start at node end at line 1, column 27; a fact path cannot index a list (parcel.goods[…]): use some, every or count over parcel.goods',
    ],
    [
      'another YAML error, with no hint',
      'when: { fact: parcel.pieceCount, eq: [1 }\n',
      expect.not.stringContaining('cannot index'),
    ],
  ])('%s', (_name, text, reason) => {
    const file = join(dir, 'rule-set.yaml');
    writeFileSync(file, text);

    const issues = issuesOf(() => readDataFile(file));

    expect(issues).toEqual([{ file, path: '(root)', reason }]);
  });
});

describe('explain on facts without a field screening always has', () => {
  const categories = `one of ${CONTENT_CATEGORIES.join(', ')}`;

  it.each<[string, unknown, string]>([
    [
      'a whole parcel without its content category',
      (() => {
        const { contentCategory: _left, ...parcel } = baselineFacts().parcel;
        return parcel;
      })(),
      `parcel.contentCategory: missing, but screening always has this fact (${categories})`,
    ],
    [
      'partial facts removing it with null',
      { parcel: { contentCategory: null } },
      `parcel.contentCategory: null, but screening always has this fact (${categories}; null only removes an optional one)`,
    ],
  ])('%s says so, not "expected one of …, not undefined"', (_name, input, problem) => {
    const { problems } = checkFactsInput(input, factsFromInput(input));

    expect(problems).toEqual([problem]);
  });
});

describe("explain's trace shows a named list by its size and, when short, its values", () => {
  const leafOf = (trace: ConditionTrace | undefined): ConditionTrace => {
    let node = trace!;
    while (node.elements !== undefined || node.children !== undefined)
      node = (node.elements ?? node.children)![0]!;
    return node;
  };
  const tracedExpected = (values: unknown[]) => {
    const policy = compile({
      rules: [rule('r', onLine({ fact: 'line.hsCode', startsWith: { list: 'hs' } }))],
      lists: [list('hs', values)],
    });
    const evaluation = policy.evaluate(facts({ parcel: { goods: [goodsLine()] } }), { trace: true });
    return leafOf(evaluation.trace!.rules[0]!.condition).expected;
  };

  it.each<[string, unknown[], unknown, string]>([
    [
      'a list of two values',
      ['940360', '4420'],
      { list: 'hs', version: 1, size: 2, values: ['940360', '4420'] },
      'list hs v1 (2 values: "940360", "4420")',
    ],
    [
      'a list of one value',
      ['4420'],
      { list: 'hs', version: 1, size: 1, values: ['4420'] },
      'list hs v1 (1 value: "4420")',
    ],
    [
      'a list of eleven values, counted only',
      Array.from({ length: 11 }, (_, i) => `44${String(i).padStart(2, '0')}`),
      { list: 'hs', version: 1, size: 11 },
      'list hs v1 (11 values)',
    ],
  ])('%s', (_name, values, expected, shown) => {
    const traced = tracedExpected(values);

    expect(traced).toEqual(expected);
    expect(showExpected(traced)).toBe(shown);
  });

  it('shows a watchlist by the kind of its keys, never its keys', () => {
    expect(showExpected({ list: 'watched-phones', version: 2, size: 3, keys: 'phone' })).toBe(
      'list watched-phones v2 (3 hashed phone keys)',
    );
  });

  it('shows another fact compared with as the compared one is shown: its path, =, its value', () => {
    expect(showExpected({ fact: 'parcel.pieceCount', value: 2 })).toBe('parcel.pieceCount = 2');
    expect(showExpected({ fact: 'parcel.route.destination.region', value: null })).toBe(
      'parcel.route.destination.region = null',
    );
  });

  it('shows anything else as JSON', () => {
    expect(showExpected(['940360'])).toBe('["940360"]');
    expect(showExpected({ fact: 'parcel.pieceCount' })).toBe('{"fact":"parcel.pieceCount"}');
    expect(showExpected(undefined)).toBe('null');
  });

  it('names the list the same way where a case says why a rule did not fire', () => {
    const policy = compileRuleSet(
      ruleSetInput({
        rules: [rule('border', { fact: 'parcel.route.origin.city', in: { list: 'origins' } })],
        lists: [list('origins', ['Ruili', 'Baise'])],
      }),
    );
    const cases = {
      file: 'rules/test/cases/c.yaml',
      document: { cases: [{ name: 'from Ruili', facts: {}, expect: { lane: 'review', fired: ['border'] } }] },
    };

    const report = runCases(policy, [cases]);

    expect(report.results[0]!.failures.join('\n')).toContain(
      'in list origins v1 (2 values: "Ruili", "Baise") is false',
    );
  });
});
