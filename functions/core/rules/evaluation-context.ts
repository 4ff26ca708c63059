import type { ScreeningFacts } from '../screening/facts.js';
import { parseInstant } from './instants.js';
import { WitnessTable } from './witness-table.js';

/** Three-valued result of a condition: a missing fact is neither true nor false. */
export const FALSE = 0;
export const TRUE = 1;
export const MISSING = 2;
export type Tri = typeof FALSE | typeof TRUE | typeof MISSING;

export type { Witness } from './witness-table.js';

/**
 * Mutable scratch state of one compiled rule set, reused across evaluations so the hot path does
 * not allocate. Evaluation is synchronous, so one context per compiled rule set is safe.
 */
export class EvaluationContext {
  facts: ScreeningFacts = undefined as unknown as ScreeningFacts;
  nowMs = Number.NaN;
  epoch = 0;
  readonly derivedValues: (number | undefined)[];
  readonly derivedEpochs: number[];
  /** Current element of each quantifier, by nesting depth. */
  readonly vars: unknown[];
  /** Concrete path of each current element (explain mode only). */
  readonly varPaths: string[];
  /** Explain mode: first witness per variable name. */
  readonly witnesses = new WitnessTable();

  constructor(derivedCount: number, maxDepth: number) {
    this.derivedValues = new Array<number | undefined>(derivedCount).fill(undefined);
    this.derivedEpochs = new Array<number>(derivedCount).fill(-1);
    this.vars = new Array<unknown>(maxDepth).fill(undefined);
    this.varPaths = new Array<string>(maxDepth).fill('');
  }

  private lastNow = '';

  begin(facts: ScreeningFacts): void {
    this.facts = facts;
    if (facts.now !== this.lastNow) {
      this.lastNow = facts.now;
      // Strictly, as the day operators read it: a time without offset is no time on any machine.
      this.nowMs = parseInstant(facts.now) ?? Number.NaN;
    }
    this.epoch++;
  }

  /**
   * Drops references to the facts so a compiled rule set does not keep a parcel alive. Quantifiers clear
   * their own element slots as they finish; `clearVars` is for an evaluation that threw midway.
   */
  end(): void {
    this.facts = undefined as unknown as ScreeningFacts;
    if (this.witnesses.size > 0) this.witnesses.clear();
  }

  clearVars(): void {
    for (let i = 0; i < this.vars.length; i++) this.vars[i] = undefined;
  }
}
