import { describe, expect, it } from 'vitest';
import { runCases } from '../../../functions/core/rules/cases/index.js';
import { tallyPathOf } from '../../../functions/core/rules/fact-types.js';
import { nameRuleSet, ruleSetPlace } from '../../../functions/tools/rules/cli-shared.js';
import { compile, facts, goodsLine, rule } from './rule-set-factory.js';

/**
 * What a tally counts never leaves the compiled rule set: `tallyVerdicts` says whether a parcel marks
 * each tally, and why not, for `rules -- test` and `rules -- explain` alike.
 */

const TEA = { some: { of: 'parcel.goods', where: { fact: 'item.description', containsAny: ['茶'] } } };
const TEA_PATCH = { parcel: { goods: [goodsLine({ description: '普洱茶饼' })] } };
const SCARF_PATCH = { parcel: { goods: [goodsLine({ description: '羊毛围巾' })] } };
const ID_DOCUMENT = { parties: { idDocument: 'id-document-key-of-this-parcel' } };

const tally = (extra: Record<string, unknown> = {}) => ({
  description: 'parcels of tea',
  days: 30,
  when: TEA,
  ...extra,
});

const policyWith = (
  tallies: Record<string, unknown>,
  rules = [rule('first', { fact: 'parcel.pieceCount', gte: 1 })],
) => compile({ rules, extra: { tallies } });

describe('CompiledRuleSet.tallyVerdicts', () => {
  it('says of each tally, in the rule set order, whether the parcel marks it and why not', () => {
    // Prepare: the baseline parcel carries no ID document and no consignee e-mail
    const policy = policyWith({
      tea: tally(),
      'tea-documents': tally({ distinct: 'parties.idDocument' }),
      every: { description: 'every parcel', days: 7 },
      russian: {
        description: 'e-mail in .ru',
        days: 30,
        when: { fact: 'parcel.consignee.email', contains: '.ru' },
      },
    });

    // Act
    const tea = policy.tallyVerdicts(facts(TEA_PATCH));
    const scarf = policy.tallyVerdicts(facts(SCARF_PATCH));
    const withIdDocument = policy.tallyVerdicts(facts({ ...TEA_PATCH, ...ID_DOCUMENT }));

    // Assess
    expect([...tea.keys()]).toEqual(['tea', 'tea-documents', 'every', 'russian']);
    expect(Object.fromEntries(tea)).toEqual({
      tea: { marked: true },
      'tea-documents': { marked: false, whyNot: { lacks: 'parties.idDocument' } },
      every: { marked: true },
      russian: { marked: false, whyNot: 'missing' },
    });
    expect(scarf.get('tea')).toEqual({ marked: false, whyNot: 'false' });
    expect(scarf.get('tea-documents')).toEqual({ marked: false, whyNot: 'false' });
    expect(withIdDocument.get('tea-documents')).toEqual({ marked: true });
  });

  it('takes an empty party key for none: a distinct tally is not marked, and lacks the key', () => {
    // Prepare
    const policy = policyWith({ 'tea-documents': tally({ distinct: 'parties.idDocument' }) });
    const empty = facts({ ...TEA_PATCH, parties: { idDocument: '' } });

    // Act
    const marks = policy.tallyMarks(empty);
    const verdict = policy.tallyVerdicts(empty).get('tea-documents');

    // Assess
    expect(marks).toEqual([]);
    expect(verdict).toEqual({ marked: false, whyNot: { lacks: 'parties.idDocument' } });
  });

  it("traces every tally's when, by id in the rule set order, a tally without when as an empty all", () => {
    // Prepare
    const policy = policyWith({ tea: tally(), every: { description: 'every parcel', days: 7 } });

    // Act
    const traces = policy.traceTallies(facts(SCARF_PATCH));

    // Assess
    expect([...traces.keys()]).toEqual(['tea', 'every']);
    expect(traces.get('tea')?.result).toBe('false');
    expect(traces.get('every')).toEqual({ op: 'all', result: 'true', children: [] });
  });

  it('agrees with tallyMarks: ids sharing a counter are marked together', () => {
    // Prepare: two windows of one count share its counter
    const policy = policyWith({ 'tea-7': tally({ days: 7 }), 'tea-30': tally({ days: 30 }) });

    // Act
    const verdicts = policy.tallyVerdicts(facts(TEA_PATCH));

    // Assess
    expect(policy.tallyMarks(facts(TEA_PATCH))).toHaveLength(1);
    expect(Object.fromEntries(verdicts)).toEqual({ 'tea-7': { marked: true }, 'tea-30': { marked: true } });
  });

  it('tells rules -- test that a distinct tally whose when reads its own key is not true, not that the key is missing', () => {
    // Prepare: a when true only on a parcel with an ID document key, counting distinct ID document keys
    const policy = policyWith({
      documents: {
        description: 'ID documents',
        days: 30,
        distinct: 'parties.idDocument',
        when: { fact: 'parties.idDocument', exists: true },
      },
    });
    const cases = {
      file: 'rules/test/cases/documents.yaml',
      document: {
        cases: [
          {
            name: 'no ID document',
            facts: {},
            expect: { lane: 'release', fired: ['first'], tallies: ['documents'] },
          },
        ],
      },
    };

    // Act
    const verdict = policy.tallyVerdicts(facts()).get('documents');
    const report = runCases(policy, [cases]);

    // Assess
    expect(verdict?.marked).toBe(false);
    expect(report.results[0]?.failures).toEqual([
      'cases[0].expect.tallies: marked tallies differ: not marked [documents] (documents: its when is not true on this parcel)',
    ]);
  });

  it('lets a case rule read a tally its facts do not write: it reads 0', () => {
    // Prepare: a rule firing on an address with no parcel of tea
    const policy = policyWith({ tea: tally() }, [
      rule('first', { fact: 'parcel.pieceCount', gte: 1 }),
      rule('no-tea', { fact: 'history.address.tallies.tea', lt: 1 }),
    ]);
    const cases = {
      file: 'rules/test/cases/zero.yaml',
      document: {
        cases: [{ name: 'none written', facts: {}, expect: { lane: 'release', fired: ['first', 'no-tea'] } }],
      },
    };

    // Act
    const report = runCases(policy, [cases]);

    // Assess
    expect(report.results[0]?.failures).toEqual([]);
  });
});

describe('tallyPathOf', () => {
  it.each([
    ['history.address.tallies.tea-30', { party: 'address', id: 'tea-30' }],
    ['history.idDocument.tallies', { party: 'idDocument' }],
    ['history.address.tallies.', { party: 'address', id: '' }],
    ['history.address.tallies[0]', undefined],
    ['history.address.parcels30d', undefined],
    ['parcel.tallies.tea', undefined],
    ['history.tallies', undefined],
  ])('reads %s as %j', (path, expected) => {
    // Act
    const read = tallyPathOf(path);

    // Assess
    expect(read).toEqual(expected);
  });
});

describe('ruleSetPlace', () => {
  it.each([
    [{ path: '.', isDefault: false, option: '--rule-set <dir>' }, '.'],
    [
      { path: '../rules/default', isDefault: true, option: '--rule-set <dir>' },
      '../rules/default, the default: --rule-set <dir> reads another',
    ],
  ])('names where %j was read, as nameRuleSet does without "rule set "', (read, expected) => {
    // Act
    const place = ruleSetPlace(read);

    // Assess
    expect(place).toBe(expected);
    expect(nameRuleSet(read)).toBe(`rule set ${expected}`);
  });
});
