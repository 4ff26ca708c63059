import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * A positive whole number as a tool's argument, written in plain digits and within the safe integers, or
 * undefined: `Number` alone would take `0x10`, `1e2` and ` 2`, and round a number past 2^53.
 */
export const positiveWholeNumber = (written: string): number | undefined => {
  if (!/^[1-9]\d*$/.test(written)) return undefined;
  const value = Number(written);
  return Number.isSafeInteger(value) ? value : undefined;
};

/**
 * `parseArgs` of node:util, refusing an option given twice: parseArgs keeps the last and says nothing,
 * so `partner rotate --overlap-hours 24 --overlap-hours 0` would end the old secrets at once. An option
 * declared `multiple` may repeat. Throws as parseArgs does (a code starting ERR_PARSE_ARGS).
 */
export const parseToolArgs = <T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> => {
  const parsed = parseArgs({ ...config, tokens: true });
  const given = new Map<string, number>();
  for (const token of parsed.tokens ?? [])
    if (token.kind === 'option') given.set(token.name, (given.get(token.name) ?? 0) + 1);
  for (const [name, times] of given) {
    if (times > 1 && config.options?.[name]?.multiple !== true)
      throw Object.assign(new Error(`--${name} is given ${times} times: give it once`), {
        code: 'ERR_PARSE_ARGS_REPEATED_OPTION',
      });
  }
  return parsed as unknown as ReturnType<typeof parseArgs<T>>;
};
