import { describe, expect, it } from 'vitest';
import { foldText } from '../../../functions/core/parties/text.js';

describe('foldText', () => {
  it.each([
    { what: 'full width and case', raw: 'ＺＨＡＮＧ　Ｗｅｉ', folded: 'zhang wei' },
    { what: 'white space collapsed and trimmed', raw: ' Zhang \t Wei ', folded: 'zhang wei' },
    { what: 'accented Latin unchanged', raw: 'Crème Brûlée', folded: 'crème brûlée' },
    { what: 'Han unchanged', raw: '张 伟', folded: '张 伟' },
    { what: 'a zero-width space between ideographs', raw: '张\u200b伟', folded: '张伟' },
    { what: 'a soft hyphen in a Latin word', raw: 'Zh\u00adang Wei', folded: 'zhang wei' },
    { what: 'a byte order mark, not read as a space', raw: 'Zhang\ufeffWei', folded: 'zhangwei' },
    { what: 'a zero-width joiner between spaces', raw: 'Zhang \u200d Wei', folded: 'zhang wei' },
    { what: 'invisible characters at both ends', raw: '\u2060 张伟 \u200c', folded: '张伟' },
    { what: 'an ideographic variation selector', raw: '张\u{e0100}伟', folded: '张伟' },
    {
      what: 'a combining grapheme joiner in a letter and its accent',
      raw: 'Cafe\u034f\u0301',
      folded: 'café',
    },
  ])('folds $what', ({ raw, folded }) => {
    // Prepare: the table row

    // Act
    const result = foldText(raw);

    // Assess
    expect(result).toBe(folded);
  });

  it('drops every invisible character: the default-ignorable ones and the interlinear annotation marks', () => {
    // Prepare
    const ignorable = /[\p{Default_Ignorable_Code_Point}\ufff9-\ufffb]/u;
    const all: string[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      const char = code >= 0xd800 && code <= 0xdfff ? '' : String.fromCodePoint(code);
      if (ignorable.test(char)) all.push(char);
    }

    // Act
    const kept = all.filter((char) => foldText(`张${char}伟`) !== '张伟');

    // Assess
    expect(all.length).toBeGreaterThan(4000);
    expect(kept).toEqual([]);
  });
});
