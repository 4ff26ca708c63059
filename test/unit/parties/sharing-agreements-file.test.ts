import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSharingAgreements } from '../../../functions/adapters/file-sharing-agreements.js';
import { sharingPartners } from '../../../functions/core/parties/sharing.js';

describe('rules/sharing/agreements.yaml', () => {
  it('loads and lets yunnan and guangxi share phones', () => {
    // Prepare
    const file = resolve(import.meta.dirname, '../../../rules/sharing/agreements.yaml');

    // Act
    const agreements = loadSharingAgreements(file);

    // Assess
    expect(agreements.agreements.length).toBeGreaterThan(0);
    expect(sharingPartners(agreements, 'yunnan', 'phone', '2026-11-28')).toEqual(['guangxi']);
  });
});
