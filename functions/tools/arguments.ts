/**
 * A positive whole number as a tool's argument, written in plain digits and within the safe integers, or
 * undefined: `Number` alone would take `0x10`, `1e2` and ` 2`, and round a number past 2^53.
 */
export const positiveWholeNumber = (written: string): number | undefined => {
  if (!/^[1-9]\d*$/.test(written)) return undefined;
  const value = Number(written);
  return Number.isSafeInteger(value) ? value : undefined;
};
