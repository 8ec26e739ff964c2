/**
 * A small seeded PRNG (mulberry32) so that shuffles, splits and generated data are identical on
 * every machine for the same `seed`; Math.random would make runs irreproducible.
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates, in place; arrays and typed arrays alike. */
export function shuffleInPlace<A extends { length: number; [index: number]: unknown }>(items: A, random: Random): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Fisher-Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  return shuffleInPlace(items.slice(), random);
}

export function randomInt(random: Random, below: number): number {
  return Math.floor(random() * below);
}

/** Standard normal sample (Box-Muller). */
export function gaussian(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A seed for one named stream of random draws, derived from the run's seed (`data.seed`): the same
 * `(seed, ...path)` always gives the same 32-bit value, different paths give unrelated ones
 * (FNV-1a over the path, finished with mulberry32's mixer). Every random draw of a run
 * (initialisers, dropout masks, shuffles, samples) takes its seed from here, so a run is
 * reproducible from its spec alone.
 */
export function deriveSeed(seed: number, ...path: (string | number)[]): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (const char of path.join('\u0000')) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return Math.floor(seededRandom(hash >>> 0)() * 4294967296);
}

/**
 * Successive seeds for draws that repeat (a dropout mask per batch): `next()` gives
 * `deriveSeed(seed, ...path, 0)`, then `..., 1`, and so on.
 */
export class SeedSequence {
  private count = 0;
  private readonly path: (string | number)[];

  constructor(
    private readonly seed: number,
    ...path: (string | number)[]
  ) {
    this.path = path;
  }

  next(): number {
    return deriveSeed(this.seed, ...this.path, this.count++);
  }
}
