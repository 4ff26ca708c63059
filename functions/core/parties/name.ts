import { foldText, hasHan, PUNCTUATION } from './text.js';

/**
 * Person and company names to one comparable form.
 *
 * - NFKC folding (full-width letters and spaces), lower case; apostrophes dropped (`O'Brien` →
 *   `obrien`), other punctuation (`.` `,` `-`, CJK `·` `、`) read as a space; white space collapsed.
 * - Chinese honorifics are removed where they trail a name (`王先生` → `王`, `李小姐` → `李`):
 *   先生, 女士, 小姐, 太太, 夫人, 老师, 师傅, 同志, 收 (the "to:" of a label).
 * - Latin-script titles are removed as whole words: mr, mrs, ms, miss, mx, dr, prof, sir, madam,
 *   mme, mlle, herr, frau.
 * - A name written in Han characters loses its spaces (`张 伟` → `张伟`); a Latin-script name has its
 *   words sorted, because the same person is written `Zhang Wei`, `WEI Zhang` and `Zhang, Wei`.
 * A name that is nothing but an honorific keeps it, so `先生` alone does not become empty.
 * Traditional and simplified characters are not converted, nor pinyin matched to Han: a consignee who
 * switches script is resolved by phone or address (see docs/parties-and-history.md).
 */

const CHINESE_HONORIFICS = ['先生', '女士', '小姐', '太太', '夫人', '老师', '师傅', '同志', '收'];
const LATIN_TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'sir',
  'madam',
  'mme',
  'mlle',
  'herr',
  'frau',
]);

const stripChineseHonorifics = (name: string): string => {
  let stripped = name;
  for (let changed = true; changed; ) {
    changed = false;
    for (const honorific of CHINESE_HONORIFICS) {
      if (stripped.endsWith(honorific) && stripped.length > honorific.length) {
        stripped = stripped.slice(0, -honorific.length).trimEnd();
        changed = true;
      }
    }
  }
  return stripped;
};

export const normalizeName = (raw: string): string => {
  const folded = foldText(raw)
    .replace(/['’‘`]/gu, '')
    .replace(PUNCTUATION, ' ')
    .trim();
  // A trailing honorific goes first, so a Latin name written with one (`zhang wei 先生`) is read as Latin.
  const words = (stripChineseHonorifics(folded).trim() || folded).split(' ').filter(Boolean);
  if (words.length === 0) return '';
  if (hasHan(words.join(''))) {
    const joined = words.filter((word) => !LATIN_TITLES.has(word)).join('');
    return stripChineseHonorifics(joined || words.join(''));
  }
  const named = words.filter((word) => !LATIN_TITLES.has(word));
  return (named.length > 0 ? named : words).sort().join(' ');
};
