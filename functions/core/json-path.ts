/** Renders a zod-style path as a JSON path: ['parcels', 0, 'hsCode'] → `parcels[0].hsCode`, [] → `(root)`. */
export const formatJsonPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    const name = String(key);
    return acc === '' ? name : `${acc}.${name}`;
  }, '') || '(root)';
