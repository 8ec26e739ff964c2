/** Does the layer stack build for the input, and does its output layer fit the loss and the task. */
import { capitalize } from './format';
import { formatShape, type Inference, type ShapeIssue } from './summary';
import {
  ALLOWED_LOSSES,
  diagnostic,
  layerLabel,
  recurrentMapPath,
  replaceValue,
  setKeys,
  vocabularySize,
  writtenOrType,
  type Context,
} from './semanticContext';
import type { DenseLayerSpec, LayerSpec, LossName, QuickFix, SpecDiagnostic, Task } from './types';
import type { KeyPath } from './yamlSource';

export function checkEmbeddingVocabulary(context: Context, layers: readonly LayerSpec[]): SpecDiagnostic[] {
  const first = layers[0];
  if (first?.type !== 'embedding' || context.input.kind !== 'tokens') return [];
  const vocabulary = vocabularySize(context);
  if (vocabulary === undefined || (first.input_dim ?? vocabulary) >= vocabulary) return [];
  return [
    diagnostic('error', 'vocabulary', context, ['model', 0, 'input_dim'], `\`input_dim\` ${first.input_dim} is smaller than the vocabulary (${vocabulary} token ids): remove \`input_dim\` to infer it, or lower \`data.tokenizer.vocab_size\`.`),
  ];
}

export function shapeDiagnostic(context: Context, layers: readonly LayerSpec[], inference: Inference, issue: ShapeIssue): SpecDiagnostic {
  const at: KeyPath = ['model', issue.layer, 'type'];
  const label = layerLabel(layers, issue.layer);
  const { source } = context.spec.data;
  switch (issue.kind) {
    case 'embedding-not-first':
      return diagnostic('error', 'shape', context, at, `\`embedding\` must be the first layer (it turns token ids into vectors), but it is ${label}: move it to the top of \`model\`.`);
    case 'embedding-on-values':
      return diagnostic('error', 'shape', context, at, `\`${source}\` gives numeric values at each step, not token ids: remove this \`embedding\` layer; recurrent layers read the values directly.`);
    case 'needs-embedding':
      return diagnostic('error', 'shape', context, at, `\`${source}\` gives token ids: start \`model\` with an \`embedding\` layer (e.g. \`type: embedding\` with \`output_dim: 64\`) before ${label}.`, insertEmbedding(context));
    case 'needs-sequence': {
      const wants = layers[issue.layer]!.type === 'time_distributed' ? 'a sequence to apply its dense layer at every step' : 'a sequence (batch, timesteps, features)';
      if (issue.collapsedBy !== undefined) {
        const mapPath = recurrentMapPath(layers, issue.collapsedBy);
        return diagnostic(
          'error',
          'shape',
          context,
          at,
          `${capitalize(label)} needs ${wants}, but ${layerLabel(layers, issue.collapsedBy)} returns only its last state: set \`return_sequences: true\` on ${layerLabel(layers, issue.collapsedBy)}.`,
          setKeys(context, `Add \`return_sequences: true\` to layer ${issue.collapsedBy + 1}`, mapPath, { return_sequences: 'true' }),
        );
      }
      const received = issue.layer === 0 ? context.input.shape : inference.layers[issue.layer - 1]!.outputShape;
      return diagnostic('error', 'shape', context, at, `${capitalize(label)} needs ${wants}, but its input has shape ${formatShape(received)}: put recurrent layers before \`dense\` layers.`);
    }
  }
}

/** Inserts an embedding layer above the first layer of a block-style `model` list. */
function insertEmbedding(context: Context): QuickFix[] {
  const first = context.source.locate(['model', 0])?.value;
  const start = first?.range?.[0];
  const column = start === undefined ? 0 : context.source.position(start).character;
  if (start === undefined || column < 2 || context.source.text.slice(start - 2, start) !== '- ') return [];
  const indent = ' '.repeat(column);
  const position = context.source.position(start);
  return [{ title: 'Add an embedding layer', edits: [{ range: { start: position, end: position }, newText: `type: embedding\n${indent}output_dim: 64\n${indent.slice(2)}- ` }] }];
}

export function checkOutput(context: Context, layers: readonly LayerSpec[], inference: Inference): SpecDiagnostic[] {
  const { task } = context.spec.data;
  const lastIndex = layers.length - 1;
  const last = layers[lastIndex]!;
  const outputShape = inference.layers[lastIndex]!.outputShape;
  if (task === 'next-token' && last.type !== 'time_distributed') {
    return [
      diagnostic('error', 'output', context, ['model', lastIndex, 'type'], `\`next-token\` predicts a token at every step: end \`model\` with a \`time_distributed\` \`dense\` layer (softmax, units = ${describeVocabulary(context)}) after a recurrent layer with \`return_sequences: true\`.`),
    ];
  }
  if (task !== 'next-token' && outputShape.length === 3) {
    const sequenceLayer = lastSequenceLayer(layers);
    const path: KeyPath = sequenceLayer === undefined ? ['model', lastIndex, 'type'] : writtenOrType(context, recurrentMapPath(layers, sequenceLayer), 'return_sequences');
    const advice = sequenceLayer === undefined ? '' : `: remove \`return_sequences: true\` from ${layerLabel(layers, sequenceLayer)}`;
    const fixes = sequenceLayer === undefined ? [] : setKeys(context, `Set \`return_sequences: false\` on layer ${sequenceLayer + 1}`, recurrentMapPath(layers, sequenceLayer), { return_sequences: 'false' });
    return [diagnostic('error', 'output', context, path, `\`${task}\` needs one prediction per sequence, but the model outputs ${formatShape(outputShape)} (one per timestep)${advice}.`, fixes)];
  }
  const outputPath: KeyPath = last.type === 'time_distributed' ? ['model', lastIndex, 'layer'] : ['model', lastIndex];
  const dense: DenseLayerSpec | undefined = last.type === 'time_distributed' ? last.layer : last.type === 'dense' ? last : undefined;
  if (!dense) {
    return [diagnostic('error', 'output', context, ['model', lastIndex, 'type'], `The model must end with a \`dense\` output layer, not ${layerLabel(layers, lastIndex)}: add one (for \`${task}\`, ${outputAdvice(context)}).`)];
  }
  return checkLossOutput(context, dense, outputPath);
}

/** The last recurrent layer that returns sequences and is not followed by one that collapses them. */
function lastSequenceLayer(layers: readonly LayerSpec[]): number | undefined {
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index]!;
    const recurrent = layer.type === 'bidirectional' ? layer.layer : layer.type === 'simple_rnn' || layer.type === 'lstm' || layer.type === 'gru' ? layer : undefined;
    if (recurrent) return recurrent.return_sequences ? index : undefined;
  }
  return undefined;
}

interface OutputNeeds {
  units?: number;
  activation: DenseLayerSpec['activation'];
  why: string;
}

function outputNeeds(context: Context): OutputNeeds {
  const { loss } = context.spec.train;
  const { task, num_classes: numClasses, window } = context.spec.data;
  switch (loss) {
    case 'binary_crossentropy':
      return { units: 1, activation: 'sigmoid', why: '`binary_crossentropy` needs one `sigmoid` output unit' };
    case 'sparse_categorical_crossentropy':
    case 'categorical_crossentropy': {
      const classes = task === 'binary' ? 2 : task === 'next-token' ? vocabularySize(context) : numClasses;
      const count =
        classes !== undefined ? `${classes} units (${task === 'next-token' ? 'the vocabulary size' : 'one per class'})` : task === 'next-token' ? `one unit per token id (${describeVocabulary(context)})` : 'one unit per class';
      return { ...(classes !== undefined ? { units: classes } : {}), activation: 'softmax', why: `\`${loss}\` needs a \`softmax\` output with ${count}` };
    }
    case 'mse':
    case 'mae': {
      const units = task === 'forecast' ? window.horizon : 1;
      const count = task === 'forecast' ? `${units} unit${units === 1 ? '' : 's'} (the \`horizon\`)` : '1 unit';
      return { units, activation: 'linear', why: `\`${loss}\` on \`${task}\` needs a \`linear\` output with ${count}` };
    }
  }
}

/** `vocabulary size 10000`, or how a character vocabulary will be sized when the data is unread. */
function describeVocabulary(context: Context): string {
  const size = vocabularySize(context);
  return size !== undefined ? `vocabulary size ${size}` : "the data's distinct characters + 2, or set `data.tokenizer.vocab_size`";
}

function outputAdvice(context: Context): string {
  const needs = outputNeeds(context);
  return `\`units: ${needs.units ?? 'number of classes'}\` and \`activation: ${needs.activation}\``;
}

function checkLossOutput(context: Context, dense: DenseLayerSpec, outputPath: KeyPath): SpecDiagnostic[] {
  const { loss } = context.spec.train;
  const { task } = context.spec.data;
  if (!ALLOWED_LOSSES[task].includes(loss)) return [];
  const needs = outputNeeds(context);
  const wrongUnits = needs.units !== undefined && dense.units !== needs.units;
  const wrongActivation = dense.activation !== needs.activation;
  if (!wrongUnits && !wrongActivation) return [];
  const changes: Record<string, string> = {};
  if (wrongUnits) changes.units = String(needs.units);
  if (wrongActivation) changes.activation = needs.activation;
  const settings = Object.entries(changes).map(([key, value]) => `\`${key}: ${value}\``).join(' and ');
  const fixes = setKeys(context, `Set ${settings.replace(/`/g, '')} on the output layer`, outputPath, changes);
  const compatibleLoss = lossForOutput(task, dense);
  if (compatibleLoss && compatibleLoss !== loss && typeof context.raw.train?.loss === 'string') {
    fixes.push(replaceValue(context, ['train', 'loss'], `Change loss to \`${compatibleLoss}\``, compatibleLoss));
  }
  const path = writtenOrType(context, outputPath, wrongActivation ? 'activation' : 'units');
  return [diagnostic('error', 'loss-output', context, path, `${needs.why}, but the output layer has ${describeOutput(dense)}: set ${settings}.`, fixes)];
}

function describeOutput(dense: DenseLayerSpec): string {
  return `\`units: ${dense.units}\` and \`activation: ${dense.activation}\``;
}

/** The loss that already fits an output layer, offered as the alternative fix. */
function lossForOutput(task: Task, dense: DenseLayerSpec): LossName | undefined {
  if (task === 'binary' && dense.activation === 'softmax' && dense.units === 2) return 'sparse_categorical_crossentropy';
  if (task === 'binary' && dense.activation === 'sigmoid' && dense.units === 1) return 'binary_crossentropy';
  return undefined;
}
