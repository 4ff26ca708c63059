import { describe } from 'vitest';
import { itPassesItsOwnCases } from '../support/rule-set-cases.js';

/**
 * The worked example of rules/README.md, "Tallies: windowed, filtered history" (small parcels from Ruili
 * to one address, consignee phones at one address), a fixture rather than a rule set under rules/: it is
 * run against its own cases like every rule set.
 */
const EXAMPLE = 'test/fixtures/rule-sets/tallies';

describe('the tallies example rule set', () => {
  itPassesItsOwnCases(EXAMPLE);
});
