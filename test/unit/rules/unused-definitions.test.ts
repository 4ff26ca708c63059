import { describe, expect, it } from 'vitest';
import { RuleSetDocumentSchema } from '../../../functions/core/rules/rule-set-schema.js';
import { unusedDefinitions } from '../../../functions/tools/rules/unused-definitions.js';
import { type RuleSetParts, rule, ruleSetInput } from './rule-set-factory.js';

/**
 * `validate` warns of derived facts and tables nothing screening reads, as of unused lists and tallies: a
 * derived fact read only by another that is used is used; a table a used derived fact looks up is used.
 */

const table = (description: string) => ({ description, match: 'exact', entries: { CNY: 1 } });
const derivedFact = (value: unknown) => ({ description: 'under test', value });
const documentOf = (parts: RuleSetParts) => RuleSetDocumentSchema.parse(ruleSetInput(parts).ruleSet.document);

describe('unused derived facts and tables', () => {
  it('finds those no rule or tally reads, directly or through a derived fact', () => {
    // Prepare
    const document = documentOf({
      tables: { rates: table('rates'), spare: table('spare'), chained: table('chained') },
      derived: {
        // used: read by a rule's condition
        ratio: derivedFact({ div: [{ fact: 'derived.value' }, { fact: 'parcel.declaredGrossWeightKg' }] }),
        // used: read only by ratio, which is used; looks up chained
        value: derivedFact({ lookup: { table: 'chained', key: 'parcel.route.destination.city' } }),
        // used: read only in a reason
        shown: derivedFact({ fact: 'parcel.pieceCount' }),
        // used: read only by a tally's sum
        tallied: derivedFact({ fact: 'parcel.pieceCount' }),
        // unused, and so is what only it reads
        orphan: derivedFact({
          add: [
            { fact: 'derived.orphanInput' },
            { lookup: { table: 'spare', key: 'parcel.route.origin.region' } },
          ],
        }),
        orphanInput: derivedFact(1),
      },
      rules: [
        rule(
          'r',
          { fact: 'derived.ratio', gt: 1 },
          { reason: 'ratio {derived.ratio}, pieces {derived.shown:0}' },
        ),
        rule('s', { value: { lookup: { table: 'rates', key: 'parcel.route.origin.city' } }, gt: 0 }),
      ],
      extra: { tallies: { t: { description: 'pieces', days: 30, sum: { fact: 'derived.tallied' } } } },
    });

    // Act
    const unused = unusedDefinitions(document);

    // Assess
    expect(unused).toEqual({ derived: ['orphan', 'orphanInput'], tables: ['spare'] });
  });

  it('finds none in a rule set that reads all it declares', () => {
    // Prepare
    const document = documentOf({
      tables: { rates: table('rates') },
      derived: { x: derivedFact({ lookup: { table: 'rates', key: 'parcel.route.origin.city' } }) },
      rules: [rule('r', { fact: 'derived.x', gt: 0 }, { enabled: false })],
    });

    // Act / Assess
    expect(unusedDefinitions(document)).toEqual({ derived: [], tables: [] });
  });
});
