import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileOfficeDirectory } from '../../../functions/adapters/file-office-directory.js';
import { loadSharingAgreements } from '../../../functions/adapters/file-sharing-agreements.js';
import { sharingPartners } from '../../../functions/core/parties/sharing.js';

describe('rules/sharing/agreements.yaml', () => {
  it('loads and lets the tenant regions yunnan-guangxi and guangdong share consignees, phones and addresses', () => {
    // Prepare
    const file = resolve(import.meta.dirname, '../../../rules/sharing/agreements.yaml');

    // Act
    const agreements = loadSharingAgreements(file);

    // Assess
    expect(agreements.agreements.length).toBeGreaterThan(0);
    for (const kind of ['consignee', 'phone', 'address'] as const) {
      expect(sharingPartners(agreements, 'yunnan-guangxi', kind, '2026-11-28')).toEqual(['guangdong']);
      expect(sharingPartners(agreements, 'guangdong', kind, '2026-11-28')).toEqual(['yunnan-guangxi']);
    }
    expect(sharingPartners(agreements, 'guangdong', 'idDocument', '2026-11-28')).toEqual([]);
  });

  it('names only tenant regions: the partners’ regions and the top of the office hierarchy', () => {
    // Prepare
    const root = resolve(import.meta.dirname, '../../../');
    const agreements = loadSharingAgreements(resolve(root, 'rules/sharing/agreements.yaml'));
    const tree = new FileOfficeDirectory(resolve(root, 'rules/reference/offices.yaml')).load();
    const partners = JSON.parse(readFileSync(resolve(root, 'functions/local/dev-partners.json'), 'utf8')) as {
      partners: { region: string }[];
    };

    // Act
    const named = new Set(agreements.agreements.flatMap((agreement) => agreement.regions));
    const regions = [...tree.offices.values()]
      .filter((office) => office.kind === 'region')
      .map((office) => office.id);

    // Assess
    expect([...named].sort()).toEqual([...regions].sort());
    expect([...new Set(partners.partners.map((partner) => partner.region))].sort()).toEqual(
      [...regions].sort(),
    );
  });
});
