/**
 * The first name given twice in one object of a JSON text, with the path to it, or undefined. JSON.parse
 * keeps the last of them; other parsers keep the first or refuse, so a partner's system and parcelguard
 * could read one manifest differently (RFC 8259 §4: names SHOULD be unique; I-JSON, RFC 7493, MUST).
 * For text JSON.parse accepted: one pass, no recursion, names compared as decoded (`"a"` and `"\u0061"`
 * are one name). With `only`, the first repeated name whose path it takes; others are passed over.
 */
export const firstRepeatedName = (
  text: string,
  only?: (path: readonly (string | number)[]) => boolean,
): { path: (string | number)[] } | undefined => {
  /** Per open object its names so far, per open array its index; `name` the member being read. */
  const frames: ({ names: Set<string>; name: string } | { index: number })[] = [];
  let expectingName = false;
  for (let at = 0; at < text.length; at += 1) {
    const char = text.charCodeAt(at);
    if (char === 0x22) {
      const start = at;
      let escaped = false;
      for (at += 1; text.charCodeAt(at) !== 0x22; at += 1) {
        if (text.charCodeAt(at) === 0x5c) {
          escaped = true;
          at += 1;
        }
      }
      const frame = frames.at(-1);
      if (!expectingName || frame === undefined || !('names' in frame)) continue;
      const name = escaped ? (JSON.parse(text.slice(start, at + 1)) as string) : text.slice(start + 1, at);
      frame.name = name;
      if (frame.names.has(name)) {
        const path = pathOf(frames);
        if (only === undefined || only(path)) return { path };
      } else frame.names.add(name);
      expectingName = false;
    } else if (char === 0x7b) {
      frames.push({ names: new Set(), name: '' });
      expectingName = true;
    } else if (char === 0x5b) {
      frames.push({ index: 0 });
    } else if (char === 0x7d || char === 0x5d) {
      frames.pop();
      expectingName = false;
    } else if (char === 0x2c) {
      const frame = frames.at(-1);
      if (frame !== undefined && 'index' in frame) frame.index += 1;
      else expectingName = true;
    }
  }
  return undefined;
};

const pathOf = (frames: readonly ({ name: string } | { index: number })[]): (string | number)[] =>
  frames.map((frame) => ('index' in frame ? frame.index : frame.name));
