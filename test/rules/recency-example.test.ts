import { describe } from 'vitest';
import { itPassesItsOwnCases } from '../support/rule-set-cases.js';

/**
 * The worked example of rules/README.md (recency with daysSince and daysBetween), a fixture rather than a
 * rule set under rules/: it is run against its own cases like every rule set.
 */
const EXAMPLE = 'test/fixtures/rule-sets/recency';

describe('the recency example rule set', () => {
  itPassesItsOwnCases(EXAMPLE);
});
