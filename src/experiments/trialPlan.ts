/**
 * Which configurations a sweep tries, in order: every point of the grid, seeded random draws, or
 * TPE's proposals. Each configuration is a pure function of the sweep (its seed) and, for TPE, of
 * the results it is told: the same spec gives the same trials, whatever order they finish in
 * (random: configuration k depends on k alone; TPE: on the observations passed in, which the
 * scheduler fixes — see scheduler.ts).
 */
import { deriveSeed, seededRandom } from '../data/random';
import { gridValues, sampleDomain, type Configuration } from './searchSpace';
import { DEFAULT_TRIALS, type SweepParameter, type SweepSpec } from './sweepSpec';
import { suggestTpe, type Observation } from './tpe';

/** Every grid point, the first parameter varying slowest (as nested loops in the order written). */
export function gridConfigurations(parameters: readonly SweepParameter[]): Configuration[] {
  let configurations: Configuration[] = [{}];
  for (const parameter of parameters) {
    const values = gridValues(parameter);
    configurations = configurations.flatMap((partial) => values.map((value) => ({ ...partial, [parameter.path]: value })));
  }
  return configurations;
}

/** Random search's configuration `number`: each parameter drawn from its domain with a stream of its own seed. */
export function randomConfiguration(parameters: readonly SweepParameter[], seed: number, number: number): Configuration {
  const random = seededRandom(deriveSeed(seed, 'sweep-random', number));
  return Object.fromEntries(parameters.map((parameter) => [parameter.path, sampleDomain(parameter.domain, random)]));
}

/**
 * How many configurations the sweep tries: the grid's size (at most `trials`), or `trials`
 * (default 10) for random and TPE. Throws NoGridError for a grid over a domain without one.
 */
export function configurationCount(sweep: SweepSpec): number {
  if (sweep.method !== 'grid') return sweep.trials ?? DEFAULT_TRIALS;
  const size = sweep.parameters.reduce((n, parameter) => n * gridValues(parameter).length, 1);
  return sweep.trials !== undefined ? Math.min(size, sweep.trials) : size;
}

/**
 * Configuration `number` (0-based) of the sweep. TPE draws its first `tpe.startup_trials` as random
 * search does, then proposes from `observations` (the configurations it may learn from, in trial order).
 */
export function configurationAt(sweep: SweepSpec, number: number, observations: readonly Observation[] = []): Configuration {
  switch (sweep.method) {
    case 'grid': {
      const grid = gridConfigurations(sweep.parameters);
      if (number >= grid.length) throw new RangeError(`The grid has ${grid.length} configurations; there is no configuration ${number + 1}.`);
      return grid[number]!;
    }
    case 'random':
      return randomConfiguration(sweep.parameters, sweep.seed, number);
    case 'tpe':
      if (number < sweep.tpe.startup_trials || observations.length === 0) return randomConfiguration(sweep.parameters, sweep.seed, number);
      return suggestTpe(sweep.parameters, observations, sweep.tpe.candidates, seededRandom(deriveSeed(sweep.seed, 'sweep-tpe', number)));
  }
}
