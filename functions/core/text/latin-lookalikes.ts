/**
 * Cyrillic, Greek and Armenian letters that look like a Latin letter, each with that letter in lower
 * case: what text matching folds them to (see normalizeText in text.ts), so `rоsewоod` with Cyrillic о
 * matches `rosewood`.
 *
 * Source: Unicode's confusables data (UTS #39 `confusables.txt`, version 13.0.0, as shipped by the npm package
 * unhomoglyph 1.0.6 in its data.json). Unicode data files are under the Unicode License (© Unicode, Inc.;
 * https://www.unicode.org/license.txt). Kept: Cyrillic and Greek letters (General_Category L) whose prototype
 * is one ASCII Latin letter, either the letter's own or its capital's (`т`, `н`, `к` as `Т`, `Н`, `К`):
 * matching is case-insensitive, so `ТЕАК`, which reads as `TEAK`, has to fold as `теак` does. Where the two
 * disagree (`ν` like v, `Ν` like N), the small letter's own wins. Only letters that text still holds after
 * NFKC, lower case and accent stripping (no capitals, no precomposed accents). Armenian letters by the same
 * rule and source (`օ` like o, `տ` as its capital `Տ` like S).
 *
 * With them Latin letters that read as another: the dotless `ı` as `i` (confusables.txt has it so), and the
 * small capitals `ᴀ`–`ᴢ` as the letter each is named for (LATIN LETTER SMALL CAPITAL K as `k`; the Unicode
 * names, since confusables.txt gives only some of them an ASCII prototype and others, `ᴋ` and `ᴍ`, another
 * letter).
 */
export const LATIN_LOOKALIKES: Readonly<Record<string, string>> = {
  '\u03b1': 'a', // α U+03B1 GREEK SMALL LETTER ALPHA
  '\u03b2': 'b', // β U+03B2 GREEK SMALL LETTER BETA (its capital Β)
  '\u03b3': 'y', // γ U+03B3 GREEK SMALL LETTER GAMMA
  '\u03b5': 'e', // ε U+03B5 GREEK SMALL LETTER EPSILON (its capital Ε)
  '\u03b6': 'z', // ζ U+03B6 GREEK SMALL LETTER ZETA (its capital Ζ)
  '\u03b7': 'h', // η U+03B7 GREEK SMALL LETTER ETA (its capital Η)
  '\u03b9': 'i', // ι U+03B9 GREEK SMALL LETTER IOTA (itself; its capital Ι is confusable with L)
  '\u03ba': 'k', // κ U+03BA GREEK SMALL LETTER KAPPA (its capital Κ)
  '\u03bc': 'm', // μ U+03BC GREEK SMALL LETTER MU (its capital Μ)
  '\u03bd': 'v', // ν U+03BD GREEK SMALL LETTER NU (itself; its capital Ν is confusable with N)
  '\u03bf': 'o', // ο U+03BF GREEK SMALL LETTER OMICRON
  '\u03c1': 'p', // ρ U+03C1 GREEK SMALL LETTER RHO
  '\u03c3': 'o', // σ U+03C3 GREEK SMALL LETTER SIGMA
  '\u03c4': 't', // τ U+03C4 GREEK SMALL LETTER TAU (its capital Τ)
  '\u03c5': 'u', // υ U+03C5 GREEK SMALL LETTER UPSILON (itself; its capital Υ is confusable with Y)
  '\u03c7': 'x', // χ U+03C7 GREEK SMALL LETTER CHI (its capital Χ)
  '\u03dd': 'f', // ϝ U+03DD GREEK SMALL LETTER DIGAMMA (its capital Ϝ)
  '\u03f3': 'j', // ϳ U+03F3 GREEK LETTER YOT
  '\u03fb': 'm', // ϻ U+03FB GREEK SMALL LETTER SAN (its capital Ϻ)
  '\u0430': 'a', // а U+0430 CYRILLIC SMALL LETTER A
  '\u0432': 'b', // в U+0432 CYRILLIC SMALL LETTER VE (its capital В)
  '\u0433': 'r', // г U+0433 CYRILLIC SMALL LETTER GHE
  '\u0435': 'e', // е U+0435 CYRILLIC SMALL LETTER IE
  '\u043a': 'k', // к U+043A CYRILLIC SMALL LETTER KA (its capital К)
  '\u043c': 'm', // м U+043C CYRILLIC SMALL LETTER EM (its capital М)
  '\u043d': 'h', // н U+043D CYRILLIC SMALL LETTER EN (its capital Н)
  '\u043e': 'o', // о U+043E CYRILLIC SMALL LETTER O
  '\u0440': 'p', // р U+0440 CYRILLIC SMALL LETTER ER
  '\u0441': 'c', // с U+0441 CYRILLIC SMALL LETTER ES
  '\u0442': 't', // т U+0442 CYRILLIC SMALL LETTER TE (its capital Т)
  '\u0443': 'y', // у U+0443 CYRILLIC SMALL LETTER U
  '\u0445': 'x', // х U+0445 CYRILLIC SMALL LETTER HA
  '\u044c': 'b', // ь U+044C CYRILLIC SMALL LETTER SOFT SIGN (its capital Ь)
  '\u0455': 's', // ѕ U+0455 CYRILLIC SMALL LETTER DZE
  '\u0456': 'i', // і U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I (itself; its capital І is confusable with L)
  '\u0458': 'j', // ј U+0458 CYRILLIC SMALL LETTER JE
  '\u0461': 'w', // ѡ U+0461 CYRILLIC SMALL LETTER OMEGA
  '\u0475': 'v', // ѵ U+0475 CYRILLIC SMALL LETTER IZHITSA
  '\u04af': 'y', // ү U+04AF CYRILLIC SMALL LETTER STRAIGHT U
  '\u04bb': 'h', // һ U+04BB CYRILLIC SMALL LETTER SHHA
  '\u04bd': 'e', // ҽ U+04BD CYRILLIC SMALL LETTER ABKHASIAN CHE
  '\u04cf': 'i', // ӏ U+04CF CYRILLIC SMALL LETTER PALOCHKA (itself; its capital Ӏ is confusable with L)
  '\u0501': 'd', // ԁ U+0501 CYRILLIC SMALL LETTER KOMI DE
  '\u050d': 'g', // ԍ U+050D CYRILLIC SMALL LETTER KOMI SJE (its capital Ԍ)
  '\u051b': 'q', // ԛ U+051B CYRILLIC SMALL LETTER QA
  '\u051d': 'w', // ԝ U+051D CYRILLIC SMALL LETTER WE
  '\u1c80': 'b', // ᲀ U+1C80 CYRILLIC SMALL LETTER ROUNDED VE (its capital В)
  '\u1c82': 'o', // ᲂ U+1C82 CYRILLIC SMALL LETTER NARROW O (its capital О)
  '\u1c83': 'c', // ᲃ U+1C83 CYRILLIC SMALL LETTER WIDE ES (its capital С)
  '\u1c84': 't', // ᲄ U+1C84 CYRILLIC SMALL LETTER TALL TE (its capital Т)
  '\u1c85': 't', // ᲅ U+1C85 CYRILLIC SMALL LETTER THREE-LEGGED TE (its capital Т)
  '\u1d26': 'r', // ᴦ U+1D26 GREEK LETTER SMALL CAPITAL GAMMA
  '\ua647': 'i', // ꙇ U+A647 CYRILLIC SMALL LETTER IOTA
  '\u0561': 'w', // ա U+0561 ARMENIAN SMALL LETTER AYB
  '\u0563': 'q', // գ U+0563 ARMENIAN SMALL LETTER GIM
  '\u0566': 'q', // զ U+0566 ARMENIAN SMALL LETTER ZA
  '\u0570': 'h', // հ U+0570 ARMENIAN SMALL LETTER HO
  '\u0578': 'n', // ո U+0578 ARMENIAN SMALL LETTER VO
  '\u057c': 'n', // ռ U+057C ARMENIAN SMALL LETTER RA
  '\u057d': 'u', // ս U+057D ARMENIAN SMALL LETTER SEH
  '\u057f': 's', // տ U+057F ARMENIAN SMALL LETTER TIWN (its capital Տ)
  '\u0581': 'g', // ց U+0581 ARMENIAN SMALL LETTER CO
  '\u0584': 'f', // ք U+0584 ARMENIAN SMALL LETTER KEH
  '\u0585': 'o', // օ U+0585 ARMENIAN SMALL LETTER OH
  '\u0131': 'i', // ı U+0131 LATIN SMALL LETTER DOTLESS I
  '\u1d00': 'a', // ᴀ U+1D00 LATIN LETTER SMALL CAPITAL A
  '\u0299': 'b', // ʙ U+0299 LATIN LETTER SMALL CAPITAL B
  '\u1d04': 'c', // ᴄ U+1D04 LATIN LETTER SMALL CAPITAL C
  '\u1d05': 'd', // ᴅ U+1D05 LATIN LETTER SMALL CAPITAL D
  '\u1d07': 'e', // ᴇ U+1D07 LATIN LETTER SMALL CAPITAL E
  '\u0262': 'g', // ɢ U+0262 LATIN LETTER SMALL CAPITAL G
  '\u029c': 'h', // ʜ U+029C LATIN LETTER SMALL CAPITAL H
  '\u026a': 'i', // ɪ U+026A LATIN LETTER SMALL CAPITAL I
  '\u1d0a': 'j', // ᴊ U+1D0A LATIN LETTER SMALL CAPITAL J
  '\u1d0b': 'k', // ᴋ U+1D0B LATIN LETTER SMALL CAPITAL K
  '\u029f': 'l', // ʟ U+029F LATIN LETTER SMALL CAPITAL L
  '\u1d0d': 'm', // ᴍ U+1D0D LATIN LETTER SMALL CAPITAL M
  '\u0274': 'n', // ɴ U+0274 LATIN LETTER SMALL CAPITAL N
  '\u1d0f': 'o', // ᴏ U+1D0F LATIN LETTER SMALL CAPITAL O
  '\u1d18': 'p', // ᴘ U+1D18 LATIN LETTER SMALL CAPITAL P
  '\u0280': 'r', // ʀ U+0280 LATIN LETTER SMALL CAPITAL R
  '\ua731': 's', // ꜱ U+A731 LATIN LETTER SMALL CAPITAL S
  '\u1d1b': 't', // ᴛ U+1D1B LATIN LETTER SMALL CAPITAL T
  '\u1d1c': 'u', // ᴜ U+1D1C LATIN LETTER SMALL CAPITAL U
  '\u1d20': 'v', // ᴠ U+1D20 LATIN LETTER SMALL CAPITAL V
  '\u1d21': 'w', // ᴡ U+1D21 LATIN LETTER SMALL CAPITAL W
  '\u028f': 'y', // ʏ U+028F LATIN LETTER SMALL CAPITAL Y
  '\u1d22': 'z', // ᴢ U+1D22 LATIN LETTER SMALL CAPITAL Z
};
