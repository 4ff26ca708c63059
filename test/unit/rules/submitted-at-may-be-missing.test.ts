import { describe, expect, it } from 'vitest';
import { screeningFactEntries } from '../../../functions/core/rules/fact-catalogue.js';

// A decision recorded before manifests carried submittedAt has none: backtests and shadow runs of one
// read it missing, and the catalogue says so (a rule on it needs `exists` or a missing-aware operator).
describe('the fact catalogue on manifest.submittedAt', () => {
  it('says it may be missing, on its own', () => {
    // Act
    const entry = screeningFactEntries().find((candidate) => candidate.path === 'manifest.submittedAt');

    // Assess
    expect(entry).toMatchObject({ path: 'manifest.submittedAt', mayBeMissing: true });
    expect(entry?.missingWith).toBeUndefined();
  });
});
