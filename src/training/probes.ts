/**
 * Hidden-state snapshots of probe sequences. The probe batch runs through the model layer by layer
 * (inference mode, masks carried along); at each recurrent layer a twin with `returnSequences`
 * set (weights copied from the trained layer each time) yields the state after every timestep.
 * The twins are separate layers, so training never sees them.
 */
import * as tf from '@tensorflow/tfjs';
import type { EncodedProbe, PreparedData } from '../data/types';
import { kerasLayerNames } from '../model/layerNames';
import { deriveSeed } from '../data/random';
import { createBidirectionalLayer, createRecurrentLayer } from '../model/recurrent';
import type { LayerStates, ProbeSnapshot, ProbesEvent } from '../protocol';
import type { LayerSpec, ModelSpec, RecurrentLayerSpec } from '../language/types';

export interface ProbeRecorder {
  /** Snapshot of every probe under the model's current weights; undefined when there are no probes. */
  snapshot(epoch: number): ProbesEvent | undefined;
  dispose(): void;
}

interface ProbeStep {
  layer: tf.layers.Layer;
  /** For recurrent layers: the returnSequences twin and whether its output runs backwards in time. */
  twin?: { layer: tf.layers.Layer; reversed: boolean };
}

export function createProbeRecorder(model: tf.LayersModel, spec: ModelSpec, data: PreparedData, maxProbes?: number): ProbeRecorder {
  const probes = encodeProbes(spec, data, maxProbes);
  if (probes.length === 0) return { snapshot: () => undefined, dispose: () => undefined };

  const names = kerasLayerNames(spec.model);
  const steps: ProbeStep[] = spec.model.map((layerSpec, i) => ({
    layer: model.getLayer(names[i].name),
    twin: recurrentTwin(layerSpec, `${names[i].name}_probe`, deriveSeed(spec.data.seed, 'layer', names[i].name)),
  }));
  const input = probeBatch(probes, data);
  const maxUnits = spec.inspect.max_units;

  return {
    snapshot(epoch) {
      let run: ProbeRun = { states: [], output: [] };
      tf.tidy(() => {
        run = runProbes(steps, input); // plain arrays out; every tensor made on the way is freed
      });
      const { states, output } = run;
      const snapshots: ProbeSnapshot[] = probes.map((probe, p) => ({
        id: `probe-${p}`,
        label: probe.label,
        tokens: probe.tokens,
        prediction: lastStep(output[p]),
        layers: states.map(({ name, values }): LayerStates => {
          const perStep = values[p].map((unitsAtT) => unitsAtT.slice(0, maxUnits));
          return { layer: name, units: perStep[0]?.length ?? 0, states: perStep };
        }),
      }));
      return { type: 'probes', epoch, probes: snapshots };
    },
    dispose() {
      input.dispose();
      // A twin is built on the first snapshot; tfjs refuses to dispose an unbuilt layer.
      for (const { twin } of steps) if (twin?.layer.built) twin.layer.dispose();
    },
  };
}

function encodeProbes(spec: ModelSpec, data: PreparedData, maxProbes: number | undefined): EncodedProbe[] {
  const wanted = spec.inspect.probes.slice(0, maxProbes ?? spec.inspect.probes.length);
  return wanted.map((probe) => ('text' in probe ? data.encodeText(probe.text) : data.validationExample(probe.index)));
}

/** All probes in one batch: `[P, T]` token ids or `[P, T, F]` values. */
function probeBatch(probes: EncodedProbe[], data: PreparedData): tf.Tensor {
  const stepShape = data.inputKind === 'tokens' ? [data.timesteps] : [data.timesteps, data.features];
  const size = stepShape.reduce((a, b) => a * b, 1);
  const values = data.inputKind === 'tokens' ? new Int32Array(probes.length * size) : new Float32Array(probes.length * size);
  probes.forEach((probe, p) => {
    if (probe.x.length !== size) throw new Error(`Probe "${probe.label}" has ${probe.x.length} values, expected ${size}.`);
    values.set(probe.x, p * size);
  });
  return tf.tensor(values, [probes.length, ...stepShape], data.inputKind === 'tokens' ? 'int32' : 'float32');
}

/** Dropout only acts in training; without it tfjs also caches no dropout masks on the twin. */
const inferenceOnly = (spec: RecurrentLayerSpec): RecurrentLayerSpec => ({ ...spec, dropout: 0, recurrent_dropout: 0 });

function recurrentTwin(layerSpec: LayerSpec, name: string, seed: number): ProbeStep['twin'] {
  switch (layerSpec.type) {
    case 'simple_rnn':
    case 'lstm':
    case 'gru':
      return { layer: createRecurrentLayer(inferenceOnly(layerSpec), { name, seed, returnSequences: true, weightsCopiedLater: true }), reversed: layerSpec.go_backwards };
    case 'bidirectional':
      // concat whatever the merge mode, so both directions stay visible; tfjs re-aligns the backward half.
      return {
        layer: createBidirectionalLayer(
          { layer: inferenceOnly(layerSpec.layer), merge_mode: 'concat' },
          { name, innerName: `${name}_inner`, seed, returnSequences: true, weightsCopiedLater: true },
        ),
        reversed: false,
      };
    default:
      return undefined;
  }
}

interface ProbeRun {
  states: { name: string; values: number[][][] }[];
  output: number[][] | number[][][];
}

function runProbes(steps: ProbeStep[], input: tf.Tensor): ProbeRun {
  const states: ProbeRun['states'] = [];
  let x = input;
  let mask: tf.Tensor | undefined;
  for (const { layer, twin } of steps) {
    if (twin) states.push({ name: layer.name, values: hiddenStates(layer, twin, x, mask) });
    const nextMask = layer.computeMask(x, mask) ?? undefined;
    x = layer.apply(x, mask ? { mask } : {}) as tf.Tensor;
    mask = (Array.isArray(nextMask) ? nextMask[0] : nextMask) ?? undefined;
  }
  return { states, output: x.arraySync() as number[][] | number[][][] };
}

/** `[P][T][units]` states of the twin of `layer`, under `layer`'s current weights. */
function hiddenStates(layer: tf.layers.Layer, twin: NonNullable<ProbeStep['twin']>, x: tf.Tensor, mask: tf.Tensor | undefined): number[][][] {
  const kwargs = mask ? { mask } : {};
  if (!twin.layer.built) twin.layer.apply(x, kwargs); // builds its weights so they can be overwritten
  twin.layer.setWeights(layer.getWeights());
  let sequence = twin.layer.apply(x, kwargs) as tf.Tensor;
  if (twin.reversed) sequence = tf.reverse(sequence, 1);
  return sequence.arraySync() as number[][][];
}

/** The prediction shown with a probe: the output vector, of the last timestep for sequence outputs. */
function lastStep(output: number[] | number[][]): number[] {
  return Array.isArray(output[0]) ? (output[output.length - 1] as number[]) : (output as number[]);
}
