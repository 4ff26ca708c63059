/** Builds one value per definition entry, keeping the definition's keys and their types. */
export const mapDefinitions = <K extends string, D, R>(
  definitions: Record<K, D>,
  build: (name: K, definition: D) => R,
): Record<K, R> =>
  Object.fromEntries(
    (Object.entries(definitions) as [K, D][]).map(([name, definition]) => [name, build(name, definition)]),
  ) as Record<K, R>;

/** A definition key as a construct id part: `reviewQueue` → `ReviewQueue`. */
export const pascalCase = (name: string): string => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
