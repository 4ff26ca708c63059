/**
 * Where JSON text first stops being JSON (RFC 8259): the offset of the first character that cannot
 * continue it, the text's length when it ends too soon, undefined when it is JSON. For the 400 a
 * malformed body gets: V8's own message gives no position for many errors (`NaN`, `tru`, `'x'`), and
 * quotes the text it fails on, which is not for the log. Iterative, so no nesting depth overflows it.
 */
export const jsonErrorOffset = (text: string): number | undefined => {
  let i = 0;
  /** What the open arrays and objects expect next, innermost last. */
  const open: ('array' | 'object')[] = [];
  const skipSpace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r'))
      i++;
  };
  const digits = (): boolean => {
    const start = i;
    while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
    return i > start;
  };
  /** Reads a string at `i` (which is `"`); false where it breaks. */
  const string = (): boolean => {
    i++;
    while (i < text.length) {
      const char = text[i]!;
      if (char === '"') {
        i++;
        return true;
      }
      if (char < ' ') return false;
      if (char === '\\') {
        const escaped = text[i + 1];
        if (escaped === 'u') {
          for (let k = 2; k < 6; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              return false;
            }
          }
          i += 6;
          continue;
        }
        if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) {
          i++;
          return false;
        }
        i += 2;
        continue;
      }
      i++;
    }
    return false;
  };
  /** Reads a number at `i`; false where it breaks. */
  const number = (): boolean => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (!digits()) return false;
    if (text[i] === '.') {
      i++;
      if (!digits()) return false;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!digits()) return false;
    }
    return true;
  };
  /** Reads a scalar, or opens a container, at `i`; false where it breaks. */
  const value = (): boolean => {
    const char = text[i];
    if (char === '{' || char === '[') {
      open.push(char === '{' ? 'object' : 'array');
      i++;
      return true;
    }
    if (char === '"') return string();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (char !== word[0]) continue;
      for (let k = 0; k < word.length; k++) {
        if (text[i + k] !== word[k]) {
          i += k;
          return false;
        }
      }
      i += word.length;
      return true;
    }
    return false;
  };

  skipSpace();
  if (!value()) return i;
  while (open.length > 0) {
    const container = open.at(-1)!;
    const justOpened = text[i - 1] === (container === 'object' ? '{' : '[');
    skipSpace();
    const closing = container === 'object' ? '}' : ']';
    if (text[i] === closing) {
      open.pop();
      i++;
    } else {
      if (!justOpened) {
        if (text[i] !== ',') return i;
        i++;
        skipSpace();
      }
      if (container === 'object') {
        if (text[i] !== '"' || !string()) return i;
        skipSpace();
        if (text[i] !== ':') return i;
        i++;
        skipSpace();
      }
      if (!value()) return i;
    }
  }
  skipSpace();
  return i < text.length ? i : undefined;
};

/** An offset in text as a 1-based line and column (a column counts UTF-16 code units, as V8's do). */
export const lineAndColumnOf = (text: string, offset: number): { line: number; column: number } => {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
};
