import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRuleSetDirectory } from '../../../functions/adapters/file-rule-set-source.js';
import { compileRuleSet, outlineRuleSet } from '../../../functions/core/rules/index.js';
import { issuesOf, RULE_SET_FILE, rule, ruleSetInput } from './rule-set-factory.js';

const ORIGIN_IN_LIST = { fact: 'parcel.route.origin.city', in: { list: 'origins' } };

describe('rule set outline', () => {
  it("reads the default rule set's id, label and rules in its order, all switched on", () => {
    // Prepare
    const { input } = readRuleSetDirectory(resolve(import.meta.dirname, '../../../rules/default'));
    // Act
    const outline = outlineRuleSet(input.ruleSet);
    // Assess
    expect(outline).toMatchObject({ ruleSetId: 'default', label: '2026.11-1' });
    expect(outline.rules.map((outlined) => outlined.id)).toEqual(
      (input.ruleSet.document as { rules: { id: string }[] }).rules.map((written) => written.id),
    );
    expect(outline.rules[0]).toEqual({
      id: 'origin-border-town',
      title: expect.any(String),
      enabled: true,
    });
    expect(outline.rules.every((outlined) => outlined.enabled)).toBe(true);
  });

  it('tells a disabled rule from one switched on, by default or in writing', () => {
    // Prepare
    const { ruleSet } = ruleSetInput({
      rules: [
        rule('off', { fact: 'parcel.weightKg', gt: 1 }, { enabled: false, title: 'Switched off' }),
        rule('on', { fact: 'parcel.weightKg', gt: 2 }, { enabled: true }),
        rule('unsaid', { fact: 'parcel.weightKg', gt: 3 }),
      ],
    });
    // Act
    const outline = outlineRuleSet(ruleSet);
    // Assess
    expect(outline).toEqual({
      ruleSetId: 'test',
      label: 'test-1',
      rules: [
        { id: 'off', title: 'Switched off', enabled: false },
        { id: 'on', title: 'rule on', enabled: true },
        { id: 'unsaid', title: 'rule unsaid', enabled: true },
      ],
    });
  });

  it('needs no lists: a rule set that names a list without its file is outlined, where compiling refuses it', () => {
    // Prepare: the rule set names `origins`, and no list file is given
    const input = ruleSetInput({ rules: [rule('origin', ORIGIN_IN_LIST)], extra: { lists: ['origins'] } });
    // Act
    const outline = outlineRuleSet(input.ruleSet);
    // Assess
    expect(outline.rules.map((outlined) => outlined.id)).toEqual(['origin']);
    expect(issuesOf(() => compileRuleSet(input))).toContainEqual(
      expect.objectContaining({ path: 'lists[0]', reason: 'unknown list origins: no list file defines it' }),
    );
  });

  it('refuses a rule set the schema refuses, naming the file, rule and path', () => {
    // Prepare
    const { ruleSet } = ruleSetInput({ rules: [rule('bad', ORIGIN_IN_LIST, { title: '' })] });
    // Act
    const issues = issuesOf(() => outlineRuleSet(ruleSet));
    // Assess
    expect(issues).toEqual([
      expect.objectContaining({ file: RULE_SET_FILE, ruleId: 'bad', path: 'rules[0].title' }),
    ]);
  });
});
