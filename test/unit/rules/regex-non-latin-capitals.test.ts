import { describe, expect, it } from 'vitest';
import { compileLinearRegex } from '../../../functions/core/rules/linear-regex.js';
import { normalizeText } from '../../../functions/core/text/text.js';
import { compile, facts, goodsLine, rule } from './rule-set-factory.js';

// A pattern's character that text matching folds is refused (it would never match), but a capital that
// folding only lower-cases is not: matching ignores case, for Cyrillic and Greek capitals as for Latin.
describe('matches with capitals of other scripts than Latin', () => {
  it.each([
    { pattern: 'ЖИЛ', text: 'Жилет' },
    { pattern: 'ΨΩ', text: 'ψω' },
    { pattern: '^ДЖИП$', text: 'джип' },
  ])('takes $pattern, which matches $text', ({ pattern, text }) => {
    // Prepare / Act
    const regex = compileLinearRegex(pattern);

    // Assess
    expect(regex).not.toHaveProperty('error');
    expect('test' in regex && regex.test(normalizeText(text))).toBe(true);
  });

  it('fires a rule whose pattern is written in Cyrillic capitals', () => {
    // Prepare
    const policy = compile({
      rules: [
        rule('vest', {
          some: { of: 'parcel.goods', as: 'line', where: { fact: 'line.description', matches: 'ЖИЛ' } },
        }),
      ],
    });

    // Act
    const evaluation = policy.evaluate(
      facts({ parcel: { goods: [goodsLine({ description: 'Жилет, 2 шт' })] } }),
    );

    // Assess
    expect(evaluation.firedRules.map((rule) => rule.ruleId)).toEqual(['vest']);
  });
});

// An accent standing alone after a Latin letter is dropped from the text (refused: load-errors.test.ts);
// one text keeps, on a letter of another script, is matched as written.
describe('matches with an accent text keeps', () => {
  it.each([
    { pattern: '\u0915\u093c', text: 'क़लम', what: 'a Devanagari nukta' },
    { pattern: 'の\u3099', text: 'の\u3099', what: 'a kana voicing mark on a kana that has no voiced form' },
  ])('takes $what, which matches text written so', ({ pattern, text }) => {
    // Prepare / Act
    const regex = compileLinearRegex(pattern);

    // Assess
    expect(regex).not.toHaveProperty('error');
    expect('test' in regex && regex.test(normalizeText(text))).toBe(true);
  });
});
