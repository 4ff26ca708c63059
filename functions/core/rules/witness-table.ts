/**
 * The witness name of the value a condition's set matched (`{matched}` in a reason): braces, which no
 * variable name has.
 */
export const MATCHED_WITNESS = '{matched}';

/** A quantifier element that made a `some`/`every` true: what `{line.description}` in a reason reads. */
export interface Witness {
  value: unknown;
  path: string;
}

/**
 * The first witness per quantifier variable while one fired rule is recorded. A rule binds a handful of
 * variables at most, so a linear scan over parallel arrays beats a Map, and clearing (once per fired rule
 * and per evaluation) is a counter reset rather than `Map.clear`, which allocates a new table every time.
 */
export class WitnessTable {
  private readonly names: string[] = [];
  private readonly entries: Witness[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(name: string): Witness | undefined {
    for (let i = 0; i < this.count; i++) if (this.names[i] === name) return this.entries[i];
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Records `witness` for `name` unless it already has one (the first witness wins). */
  setIfAbsent(name: string, witness: Witness): void {
    if (this.has(name)) return;
    this.names[this.count] = name;
    this.entries[this.count] = witness;
    this.count++;
  }

  /** Forgets every witness, dropping references to the parcel's elements. */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.entries[i] = undefined as unknown as Witness;
    this.count = 0;
  }
}
