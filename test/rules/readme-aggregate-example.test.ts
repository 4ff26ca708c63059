import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';
import { compile, facts, goodsLine } from '../unit/rules/rule-set-factory.js';

/**
 * The example of rules/README.md § "Over a list's elements", read from the README itself: it loads as
 * written, counts the provinces of the via points other than the origin's (an unknown via point left out,
 * not making the count missing), and explain says what the README says when the origin's is unknown.
 */

const README = readFileSync(resolve(REPO_ROOT, 'rules/README.md'), 'utf8');

/** The README's yaml block that defines `derived.<name>`. */
const exampleDefining = (
  name: string,
): { tables: Record<string, unknown>; derived: Record<string, unknown> } => {
  const blocks = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const block = blocks.find((text) => text.includes(`\n  ${name}:\n`));
  if (block === undefined) throw new Error(`rules/README.md has no yaml block defining ${name}`);
  return parse(block) as { tables: Record<string, unknown>; derived: Record<string, unknown> };
};

const example = exampleDefining('otherProvincesOnRoute');
const policy = compile({
  tables: example.tables,
  derived: example.derived,
  rules: [
    {
      id: 'other-provinces',
      title: 'provinces on the route',
      owner: 'tests',
      severity: 'low',
      score: 0,
      reason:
        '{derived.otherProvincesOnRoute} other provinces, {derived.typicalValueOfListedLines} CNY typical',
      when: { fact: 'derived.otherProvincesOnRoute', gte: 0 },
    },
  ],
});
const derivedOf = (patch: unknown) => policy.evaluate(facts(patch), { trace: true }).trace!;
const via = (...stops: Record<string, unknown>[]) => ({
  parcel: { route: { via: stops.map((stop) => ({ country: 'CN', ...stop })) } },
});

describe("the README's example over a route's via points", () => {
  it.each<[string, unknown, number]>([
    ['the baseline, Guangdong by Jiangxi', {}, 1],
    ['a via point in the origin province', via({ region: '广东省', city: '韶关' }), 0],
    [
      'two in one province, counted once',
      via({ region: 'Jiangxi', city: 'Nanchang' }, { region: '江西', city: '赣州' }),
      1,
    ],
    [
      'a via point without a region, left out',
      via({ region: 'Jiangxi', city: 'Nanchang' }, { city: 'Somewhere' }, { region: '贵州省', city: '贵阳' }),
      2,
    ],
    [
      'a spelling the table lacks, left out',
      via({ region: 'Yunan', city: 'Dali' }, { region: 'Guizhou', city: 'Guiyang' }),
      1,
    ],
    ['no via point', via(), 0],
  ])('counts %s', (_name, patch, count) => {
    // Act / Assess
    expect(derivedOf(patch).derived.otherProvincesOnRoute).toBe(count);
  });

  it("is missing when the origin's province is unknown, and explain says why as the README does", () => {
    // Prepare
    const patch = { parcel: { route: { origin: { country: 'CN', region: 'Yunan', city: 'Dali' } } } };
    const note =
      'derived.otherProvincesOnRoute is missing: the count\'s where on an element of parcel.route.via is missing; table province-code has no entry for "Yunan"';

    // Act
    const trace = derivedOf(patch);

    // Assess
    expect(trace.derived.otherProvincesOnRoute).toBeNull();
    expect(trace.rules[0]!.condition).toMatchObject({ result: 'missing', note });
    expect(README.replace(/\s+/g, ' ')).toContain(`\`${note}\``);
  });

  it('sums the typical value of the goods lines the table lists only', () => {
    // Prepare
    const goods = [
      goodsLine({ hsCode: '940360', quantity: 2 }),
      goodsLine({ hsCode: '392690', quantity: 10 }),
    ];

    // Act / Assess
    expect(derivedOf({ parcel: { goods } }).derived.typicalValueOfListedLines).toBe(1600);
  });
});
