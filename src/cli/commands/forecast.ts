/**
 * `seqlab forecast <run> --steps N`: continues a forecast run's series N steps past its end. The
 * series is read again from the run's data (as its spec snapshot describes it, relative to the spec
 * the run started from); the saved model and preprocessing state forecast, recursively.
 */
import { dirname } from 'node:path';
import { prepareDataSection } from '../../data/prepare';
import { DataError } from '../../data/types';
import { ContinuationError, continueSeries, forecasterOf, seriesEnd } from '../../tasks/continuation';
import { readMeta } from '../../training/runStore';
import type { Command } from '../args';
import { CliError, EXIT_OK } from '../errors';
import { formatMetric, formatTable } from '../format';
import type { Output } from './io';
import { withPredictor } from './predict';
import { resolveRunDir } from './runs';

/** Values of the series shown before the forecast, for context. */
const SHOWN_HISTORY = 3;

export async function runForecast(command: Extract<Command, { name: 'forecast' }>, out: Output): Promise<number> {
  const runDir = resolveRunDir(command.run);
  const meta = readMeta(runDir);
  if (!meta.specPath) {
    throw new CliError(`${runDir} does not record the spec it was trained from (runs from before Sequence Lab kept it), so its data cannot be found: train the spec again.`);
  }
  await withPredictor(runDir, command.backend, async (predictor) => {
    try {
      const forecaster = forecasterOf(predictor);
      const { prepared, file } = await prepareDataSection(predictor.spec.data, { specDir: dirname(meta.specPath!) });
      // The series is read as it is now: say so when it is no longer the data the run trained on
      // (a --quick run trained on a slice, whose hash is that of the slice).
      const trainedOn = meta.quick ? (await prepareDataSection(predictor.spec.data, { specDir: dirname(meta.specPath!), quick: true })).prepared.hash : prepared.hash;
      if (meta.dataHash !== undefined && trainedOn !== meta.dataHash) {
        out.stderr(`seqlab: warning: ${file} has changed since this run trained on it; the forecast continues the series as the file is now.`);
      }
      const end = seriesEnd(prepared);
      const forecasts = continueSeries(end.values, command.steps, forecaster);
      const dates = end.nextDates(command.steps);
      const history = end.values.slice(-SHOWN_HISTORY).map((value, i, shown) => {
        const back = shown.length - 1 - i;
        const date = dates ? end.dates?.[end.dates.length - 1 - back] : undefined;
        return [date ?? (back === 0 ? 't' : `t-${back}`), formatMetric(value), 'data'];
      });
      const rows = forecasts.map((value, i) => [dates?.[i] ?? `t+${i + 1}`, formatMetric(value), i < forecaster.horizon ? 'forecast' : 'forecast (from forecasts)']);
      out.stdout(`${meta.name}: the series continued ${command.steps} step${command.steps === 1 ? '' : 's'} past its end, in the data's units.`);
      if (command.steps > forecaster.horizon) {
        out.stdout(`The model forecasts ${forecaster.horizon} step${forecaster.horizon === 1 ? '' : 's'} at a time; later steps are forecast from its own forecasts, so errors add up.`);
      }
      out.stdout('');
      out.stdout(formatTable([dates ? 'date' : 'step', 'value', 'from'], [...history, ...rows]));
    } catch (error) {
      if (error instanceof ContinuationError || error instanceof DataError) throw new CliError(error.message);
      throw error;
    }
  });
  return EXIT_OK;
}
