import { describe } from 'vitest';
import { itPassesItsOwnCases } from '../support/rule-set-cases.js';

/**
 * The worked example of rules/README.md (night and weekend submissions with localHour and weekday), a
 * fixture rather than a rule set under rules/: it is run against its own cases like every rule set.
 */
const EXAMPLE = 'test/fixtures/rule-sets/local-time';

describe('the local-time example rule set', () => {
  itPassesItsOwnCases(EXAMPLE);
});
