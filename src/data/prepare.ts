/**
 * The data pipeline's entry point: a resolved spec in, dense arrays for the trainer out. Pure Node
 * (no TensorFlow.js, no vscode), so the CLI, the worker and the tests share it.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DataSpec, ModelSpec } from '../language/types';
import { prepareCorpus } from './corpusPipeline';
import { assertDataFitsModel } from './dataChecks';
import { assemblePreparedData, type PipelineResult } from './prepared';
import { exampleLimits, selectExamples, validationFraction, type ExampleLimits } from './selection';
import { prepareSeries } from './seriesPipeline';
import { loadSource, type LoadedSource } from './sources';
import { prepareTextExamples } from './textPipeline';
import type { DataProgress, PreparedData } from './types';
import { prepareValueExamples } from './valuesPipeline';

export interface PrepareOptions {
  /** Folder of the spec file: relative data paths resolve against it. */
  specDir: string;
  /** A bounded slice for previews (`previewExamples` training examples, a quarter as many to validate). */
  quick?: boolean;
  /** Training examples of a quick preview; default DEFAULT_PREVIEW_EXAMPLES. */
  previewExamples?: number;
  signal?: AbortSignal;
  /** Reports slow steps (downloading or reading a large dataset). */
  onProgress?: (progress: DataProgress) => void;
  /** Environment for SEQLAB_IMDB / SEQLAB_CACHE / SEQLAB_IMDB_URL; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** Lets a pending stop request (an abort from a message handler) run, then honours it. */
async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await nextTurn();
  signal?.throwIfAborted();
}

/**
 * Fails with a DataError (a message for people, with file and line) on any bad input, and when
 * the data cannot train this model (classes vs output units, token ids vs the embedding).
 */
export async function prepareData(spec: ModelSpec, options: PrepareOptions): Promise<PreparedData> {
  const { prepared, file } = await prepareDataSection(spec.data, options);
  assertDataFitsModel(prepared, spec, file);
  return prepared;
}

/** The data alone, whatever model will read it; `file` is the training data's file (or source). */
export async function prepareDataSection(data: DataSpec, options: PrepareOptions): Promise<{ prepared: PreparedData; file: string }> {
  const started = Date.now();
  const source = await loadSource(data, options);
  await checkpoint(options.signal);
  const limits = exampleLimits(data, options.quick ?? false, options.previewExamples);
  const result = await buildArrays(source, data, limits, options);
  await checkpoint(options.signal);
  return { prepared: assemblePreparedData(result, data, Date.now() - started), file: source.kind === 'values' ? data.source : source.train.file };
}

async function buildArrays(loaded: LoadedSource, data: DataSpec, limits: ExampleLimits, options: PrepareOptions): Promise<PipelineResult> {
  const fraction = validationFraction(data) ?? 0;
  switch (loaded.kind) {
    case 'series':
      return prepareSeries(loaded.train, loaded.validation, fraction, data, limits);
    case 'corpus':
      return prepareCorpus(loaded.train, loaded.validation, fraction, data, limits, loaded.fixedTokenizer, options);
    case 'values':
      return prepareValueExamples(loaded.examples, loaded.task, fraction, limits, data.normalize_target);
    case 'text': {
      const { train, validation } = selectExamples(loaded.train.examples, loaded.validation?.examples, fraction, data.seed, limits);
      return prepareTextExamples(
        { file: loaded.train.file, examples: train },
        { file: loaded.validation?.file ?? loaded.train.file, examples: validation },
        data,
        loaded.fixedTokenizer,
      );
    }
  }
}
