import { describe, expect, it } from 'vitest';
import { normalizeName } from '../../../functions/core/parties/name.js';

describe('normalizeName', () => {
  it.each([
    { raw: '张伟', normalized: '张伟' },
    { raw: '张 伟', normalized: '张伟' },
    { raw: '张伟先生', normalized: '张伟' },
    { raw: '张伟 收', normalized: '张伟' },
    { raw: '王女士', normalized: '王' },
    { raw: '李小姐', normalized: '李' },
    { raw: '陈老师', normalized: '陈' },
    { raw: '艾力·买买提', normalized: '艾力买买提' },
    { raw: 'Ms. 李娜', normalized: '李娜' },
    { raw: '先生', normalized: '先生' },
    { raw: 'Zhang Wei', normalized: 'wei zhang' },
    { raw: 'WEI, Zhang', normalized: 'wei zhang' },
    { raw: 'Mr. Wei  Zhang', normalized: 'wei zhang' },
    { raw: 'Dr Zhang Wei', normalized: 'wei zhang' },
    { raw: 'ＺＨＡＮＧ　Ｗｅｉ', normalized: 'wei zhang' },
    { raw: "Mrs. Mary-Jane O'Brien", normalized: 'jane mary obrien' },
    { raw: 'Mr', normalized: 'mr' },
    { raw: 'zhang  wei 先生', normalized: 'wei zhang' },
    { raw: 'Wei Zhang收', normalized: 'wei zhang' },
    { raw: '张\u200b伟', normalized: '张伟' },
    { raw: 'Zh\u00adang W\u200dei', normalized: 'wei zhang' },
    { raw: 'Zhang\ufeffWei', normalized: 'zhangwei' },
    { raw: '王先生收', normalized: '王' },
    { raw: 'Wei Zhang先生收', normalized: 'wei zhang' },
    { raw: 'Zhang Wei 先生 收', normalized: 'wei zhang' },
    { raw: '李娜女士 Ms.', normalized: '李娜' },
    { raw: 'Mary O’Brien', normalized: 'mary obrien' },
    { raw: '张伟～', normalized: '张伟' },
    { raw: 'Prof. Zhang Wei', normalized: 'wei zhang' },
    { raw: 'Mx Zhang Wei', normalized: 'wei zhang' },
    { raw: 'Frau Anna Schmidt', normalized: 'anna schmidt' },
  ])('normalizes $raw to $normalized', ({ raw, normalized }) => {
    // Prepare: the table row

    // Act
    const result = normalizeName(raw);

    // Assess
    expect(result).toBe(normalized);
  });

  it.each([
    { a: '张伟', b: '张卫' },
    { a: 'Zhang Wei', b: 'Zhang Wen' },
    { a: '王先生', b: '王伟' },
  ])('keeps $a and $b apart', ({ a, b }) => {
    // Prepare: the table row

    // Act
    const [left, right] = [normalizeName(a), normalizeName(b)];

    // Assess
    expect(left).not.toBe(right);
  });
});
