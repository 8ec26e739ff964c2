/**
 * A spec -> a standalone, readable TensorFlow/Keras script that builds the same model, prepares
 * the same data the same way and trains with the same settings: the code behind a spec, to read,
 * or to run on a machine with a GPU. Pure: returns the script's text.
 */
import { dirname } from 'node:path';
import { modelInput } from '../../language/summary';
import type { ModelSpec, ModelSummary } from '../../language/types';
import { dataSection, type DataSection } from './exportDataCode';
import { compileSection, fitSection, modelSection } from './exportModelCode';
import { helpersFor } from './pythonHelpers';
import { GENERATOR_SOURCES } from './pythonGenerators';

export interface ExportPaths {
  /** The spec file: data paths in it are relative to its folder. */
  specPath: string;
  /** Where the script will be written: it reads its data relative to itself. */
  scriptPath: string;
}

/** `summary`: the checker's summary of `spec` (the script checks Keras' counts against it). */
export function exportKerasScript(spec: ModelSpec, summary: ModelSummary, paths: ExportPaths): string {
  const data = dataSection(spec.data, { specDir: dirname(paths.specPath), scriptDir: dirname(paths.scriptPath) });
  const generatorNeeds = data.generators.flatMap((name) => GENERATOR_SOURCES[name]!.needs);
  const helpers = helpersFor([...generatorNeeds, ...data.helpers]);
  const generatorImports = data.generators.flatMap((name) => GENERATOR_SOURCES[name]!.imports);
  const scriptName = paths.scriptPath.split(/[\\/]/).pop()!;
  const specName = paths.specPath.split(/[\\/]/).pop()!;
  const usesHere = data.code.includes('HERE');
  const monitorContext = { task: spec.data.task, ...(data.targetScale ? { targetScale: data.targetScale } : {}) };
  const sections = [
    docstring(spec, specName, scriptName),
    imports([...helpers.imports, ...generatorImports, ...(usesHere ? ['import os'] : [])], data),
    [
      ...(usesHere ? ['HERE = os.path.dirname(os.path.abspath(__file__))'] : []),
      `SEED = ${spec.data.seed}  # data.seed: the split and shuffles below, and Keras' own random draws`,
      'keras.utils.set_random_seed(SEED)',
    ].join('\n'),
    banner('How Sequence Lab prepares data (so that this script gets the same arrays)'),
    [...helpers.sources, ...data.generators.map((name) => GENERATOR_SOURCES[name]!.source())].join('\n\n\n'),
    banner('Data'),
    `${data.code}\nprint(f"{len(x_train)} training and {len(x_val)} validation examples of shape {x_train.shape[1:]}")`,
    banner('Model'),
    modelSection(spec, summary, modelInput(spec.data)),
    banner('Training'),
    [compileSection(spec.train, monitorContext), fitSection(spec.train, { ...monitorContext, hasValidation: data.hasValidation, ...(data.trainLabels ? { trainLabels: data.trainLabels } : {}) }), `model.save(${usesHere ? `os.path.join(HERE, ${JSON.stringify(`${spec.name}.keras`)})` : JSON.stringify(`${spec.name}.keras`)})`].join('\n'),
  ];
  return `${sections.join('\n\n')}\n`;
}

function docstring(spec: ModelSpec, specName: string, scriptName: string): string {
  const lines = [
    `"""${spec.name}: the Sequence Lab spec ${specName} as a TensorFlow/Keras script.`,
    ...(spec.description ? ['', ...spec.description.trim().split('\n')] : []),
    '',
    'Written by `seqlab export-keras`: the same model, data preparation and training settings. It needs',
    'TensorFlow 2 (Keras 2 or 3) and NumPy:',
    '',
    '    pip install tensorflow',
    `    python ${scriptName}`,
    '',
    "Keras draws other random numbers than TensorFlow.js, so its curves differ a little from Sequence",
    'Lab\'s; comments say where Keras itself computes something differently.',
    '"""',
  ];
  return lines.map((line) => line.replace(/\\/g, '\\\\')).join('\n');
}

function imports(modules: string[], data: DataSection): string {
  const standard = [...new Set(modules.filter((module) => !module.includes('numpy')))].sort();
  const lines = [...standard, ...(standard.length > 0 ? [''] : []), 'import numpy as np', 'from tensorflow import keras', 'from tensorflow.keras import layers'];
  if (data.preprocessing.includes('pad_sequences')) lines.push('from tensorflow.keras.preprocessing.sequence import pad_sequences');
  if (data.preprocessing.includes('Tokenizer')) lines.push('from tensorflow.keras.preprocessing.text import Tokenizer');
  return lines.join('\n');
}

function banner(title: string): string {
  return `# ${'-'.repeat(3)} ${title} ${'-'.repeat(Math.max(3, 96 - title.length))}`;
}
