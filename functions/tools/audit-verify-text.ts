import type { ChainReport } from '../audit/verify-audit-log.js';
import { shown } from './terminal-text.js';

/** A count and its noun, singular for exactly one: "1 entry", "2 entries", "1 chain". */
export const counted = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

const anchoredText = (report: ChainReport): string =>
  report.anchored === undefined
    ? 'not anchored yet'
    : `anchored up to entry ${report.anchored.seq} (${report.anchored.anchoredAt})`;

/** The breaks printed for one chain; the rest are counted, so a chain rewritten throughout stays readable. */
const FAILURES_SHOWN = 20;

/** `audit verify`'s lines for one chain: `ok` with its entries, or each break (at most FAILURES_SHOWN). */
export const chainLines = (chain: ChainReport): string[] => {
  const name = shown(chain.chain);
  const { failures } = chain;
  if (failures === undefined)
    return [`ok       ${name}: ${counted(chain.entries, 'entry', 'entries')}, ${anchoredText(chain)}`];
  const lines = failures
    .slice(0, FAILURES_SHOWN)
    .map(
      (failure) => `ALTERED  ${name}: entry ${failure.seq} of ${chain.entries}: ${shown(failure.problem)}`,
    );
  const more = failures.length - FAILURES_SHOWN;
  return more > 0 ? [...lines, `ALTERED  ${name}: and ${more} more`] : lines;
};

/** `audit verify`'s last line when every chain holds. */
export const verifyPassedLine = (chains: number): string =>
  `audit verify passed: ${counted(chains, 'chain')} intact`;

/** `audit anchor`'s line for the heads it stored. */
export const anchoredLine = (heads: readonly { chain: string; seq: number }[], anchoredAt: string): string =>
  `anchored ${counted(heads.length, 'chain')} at ${anchoredAt}: ${heads.map((head) => `${shown(head.chain)} #${head.seq}`).join(', ')}`;
