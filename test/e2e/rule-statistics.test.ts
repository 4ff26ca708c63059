import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DynamoDbRuleStatistics } from '../../functions/adapters/dynamodb-rule-statistics.js';
import { type EmbeddedStack, REPO_ROOT, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { retiredRow, uncountedRow } from '../support/rule-statistics.js';
import { asStaff, seizeRuiliParcel, tokenFor } from '../support/staff.js';

/** The rule set the embedded stack screens with (RULES_DIR), as written. */
const DEPLOYED = parse(readFileSync(resolve(REPO_ROOT, 'rules/default/rule-set.yaml'), 'utf8')) as {
  id: string;
  label: string;
  rules: { id: string; title: string }[];
};
/** A rule id no rule of the deployed rule set has: one removed or renamed since its hits were counted. */
const RETIRED = 'origin-border-town-2025';

interface Row {
  ruleId: string;
  hits: number;
  inspections: number;
  seizures: number;
  precision: number | null;
  inspectionRate: number | null;
  inRuleSet: boolean;
  title: string | null;
  enabled: boolean | null;
}

describe('rule statistics on the embedded stack', () => {
  let stack: EmbeddedStack;

  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("answers every rule of the deployed rule set, fired or not, and a retired rule's counts apart", async () => {
    // Prepare: the Ruili furniture is held and seized in yunnan-guangxi; a retired rule's hit is counted
    // there too, as it was before the rule left the rule set
    expect(
      (await postAsPartner(stack, 'southwest-freight', JSON.stringify(readSample(RUILI_MANIFEST)))).status,
    ).toBe(202);
    await stack.waitForIdle();
    await seizeRuiliParcel(stack.apiUrl);
    await stack.waitForIdle();
    await new DynamoDbRuleStatistics(stack.db, stack.tables.ruleStatistics).recordHits([
      {
        parcelKey: 'southwest-freight#OLD-PARCEL',
        region: 'yunnan-guangxi',
        decidedAt: new Date().toISOString(),
        ruleIds: [RETIRED],
      },
    ]);
    const decision = (await scanAll(stack.db, stack.tables.decisions)).find(
      (recorded) => recorded.parcelId === 'SWF7781000123',
    )!;
    const fired = (decision.firedRules as { ruleId: string }[]).map((rule) => rule.ruleId);
    const analyst = await tokenFor('analyst');
    // Act
    const answer = await asStaff(stack.apiUrl, analyst, 'GET', '/v1/rules/statistics?region=yunnan-guangxi');
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      region: 'yunnan-guangxi',
      since: null,
      until: null,
      ruleSetId: DEPLOYED.id,
      label: DEPLOYED.label,
    });
    const rows = answer.body.rules as Row[];
    expect(rows.map((row) => row.ruleId)).toEqual([...DEPLOYED.rules.map((rule) => rule.id), RETIRED].sort());
    // Some rules fired on the furniture and some did not: both kinds of row are checked
    expect(fired.length).toBeGreaterThanOrEqual(4);
    expect(fired.length).toBeLessThan(DEPLOYED.rules.length);
    for (const rule of DEPLOYED.rules) {
      const row = rows.find((candidate) => candidate.ruleId === rule.id);
      expect(row, rule.id).toEqual(
        fired.includes(rule.id)
          ? {
              ruleId: rule.id,
              hits: 1,
              inspections: 1,
              seizures: 1,
              precision: 1,
              inspectionRate: 1,
              inRuleSet: true,
              title: rule.title,
              enabled: true,
            }
          : uncountedRow(rule.id, rule.title),
      );
    }
    expect(rows.find((row) => row.ruleId === RETIRED)).toEqual(retiredRow(RETIRED, 1));
  });
});
