/**
 * A classification of code points, memoized: the kind of each BMP code point in a table filled as text
 * meets them, astral ones in a bounded cache (past ASTRAL_LIMIT they are classified each time). Text
 * matching's scans (whole words, look-alike folding, symbols set apart) allocate nothing once a text's
 * characters have been met.
 */

/** Astral code points remembered, at most. */
const ASTRAL_LIMIT = 4096;

export interface CodePointKinds {
  /** The kind of a code point: what `classify` said of it. */
  kindOf: (code: number) => number;
  /** Each BMP code point's kind, 0 while not yet known: for a scan that peeks before it reads a code point. */
  bmp: Uint8Array;
}

/** `classify` a code point's character, as a kind other than 0 (which stands for not yet known). */
export const codePointKinds = (classify: (char: string) => number): CodePointKinds => {
  const bmp = new Uint8Array(0x10000);
  const astral = new Map<number, number>();
  const kindOf = (code: number): number => {
    if (code < 0x10000) {
      const known = bmp[code]!;
      if (known !== 0) return known;
      const kind = classify(String.fromCharCode(code));
      bmp[code] = kind;
      return kind;
    }
    const known = astral.get(code);
    if (known !== undefined) return known;
    const kind = classify(String.fromCodePoint(code));
    if (astral.size < ASTRAL_LIMIT) astral.set(code, kind);
    return kind;
  };
  return { kindOf, bmp };
};

/** A combining mark (General_Category M), of any script. */
export const COMBINING_MARK = /^\p{M}$/u;
