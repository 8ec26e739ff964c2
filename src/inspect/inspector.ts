/**
 * Everything the panel shows about a model's inside, recorded during training (issue 7): after
 * every epoch (and once before training) the probes' hidden states and gates, the gradient flow
 * over a fixed validation batch, and the representation map. Computed from the layers' weights in
 * inference mode, with separate tensors: training never sees any of it, and no random draw of the
 * run is consumed.
 *
 * Caps that keep a run folder bounded (the `sequenceLab.views.*` settings document them):
 * heatmaps for at most `snapshots` epochs (evenly spaced, the first and last included), the first
 * `inspect.max_units` units, the probe's text without its padding, one byte per gate value;
 * gradient flow on 32 sequences (one number per timestep and layer); the map on `mapSamples`
 * sequences (texts sent once).
 */
import * as tf from '@tensorflow/tfjs';
import { createEncoder } from '../data/preprocessing';
import type { EncodedProbe, PreparedData } from '../data/types';
import type { ModelSpec } from '../language/types';
import { probabilityLoss } from '../model/objective';
import { buildModel } from '../model/build';
import type { GatesEvent, GradientFlowEvent, InspectionEvent, ProbesEvent, RepresentationEvent, ViewOptions } from '../protocol';
import { gradientFlow } from './gradientFlow';
import { inspectInput, MAX_KEPT_INSPECTIONS } from './inspectInput';
import { recurrentSites } from './network';
import { analyzeProbes } from './probeAnalysis';
import { createRepresentationMap } from './representation';
import { significant } from './rounding';
import { rowTensors, sampleRows, viewSplit } from './samples';

export type InspectionEvents = ProbesEvent | GatesEvent | GradientFlowEvent | RepresentationEvent;

export const VIEW_DEFAULTS: Required<ViewOptions> = { enabled: true, snapshots: 21, mapSamples: 300 };
/** Sequences of the gradient-flow batch. */
export const FLOW_SEQUENCES = 32;

export interface Inspector {
  /**
   * The views of the model's current weights after `epoch` (-1: before training). `last` marks the
   * final epoch of the run (early stopping included), whose heatmaps are always kept. Also keeps a
   * copy of the weights, which `probe` answers with.
   */
  snapshot(epoch: number, last: boolean): InspectionEvents[];
  /**
   * "Probe it yourself" during training: `raw` through a twin of the model holding the weights of
   * the latest snapshot (training's own weights and random draws are never touched). Throws the
   * preprocessing's DataError when the input does not fit the model.
   */
  probe(id: string, raw: string): InspectionEvent;
  dispose(): void;
}

export interface InspectorOptions {
  /** At most this many probes (the first ones of `inspect.probes`). */
  maxProbes?: number;
  views?: ViewOptions;
  /** Epochs the run trains, for spacing the heatmap snapshots. */
  epochs: number;
}

export function createInspector(model: tf.LayersModel, spec: ModelSpec, data: PreparedData, options: InspectorOptions): Inspector {
  const views = { ...VIEW_DEFAULTS, ...options.views };
  const sites = recurrentSites(model);
  const encoder = createEncoder(data.preprocessing);
  const probes = encodeProbes(spec, data, options.maxProbes);
  const probeInput = probes.length > 0 ? probeBatch(probes, data) : undefined;
  const heatmapEpochs = snapshotEpochs(options.epochs, views.snapshots);
  const split = viewSplit(data);
  const flowBatch = views.enabled && sites.length > 0 && split.count > 0 ? rowTensors(split, sampleRows(split, FLOW_SEQUENCES, spec.data.seed, 'gradient-flow')) : undefined;
  const map = views.enabled ? createRepresentationMap(sites, data, encoder, { samples: views.mapSamples, seed: spec.data.seed }) : undefined;
  const loss = probabilityLoss(spec.train.loss);
  let latest: { epoch: number; weights: tf.Tensor[] } | undefined;
  let twin: tf.LayersModel | undefined;
  let probed = 0;

  return {
    snapshot(epoch, last) {
      latest?.weights.forEach((w) => w.dispose());
      latest = { epoch, weights: model.getWeights().map((w) => w.clone()) };
      const events: InspectionEvents[] = [];
      if (probeInput && (last || heatmapEpochs.has(epoch))) {
        const analysis = analyzeProbes(model, sites, probes, probeInput, { maxUnits: spec.inspect.max_units, encoder, withGates: views.enabled });
        events.push({ type: 'probes', epoch, probes: analysis.snapshots });
        if (views.enabled && sites.length > 0) {
          events.push({ type: 'gates', epoch, probes: analysis.snapshots.map((snapshot, p) => ({ id: snapshot.id, layers: analysis.gates[p] })) });
        }
      }
      if (flowBatch) {
        const flow = gradientFlow(model, sites, flowBatch.x, flowBatch.y, loss);
        events.push({ type: 'gradients', epoch, sequences: flowBatch.x.shape[0], loss: flow.loss, layers: flow.layers.map((layer) => ({ ...layer, norms: layer.norms.map(significant) })) });
      }
      const projection = map?.project(model, epoch);
      if (projection) events.push(projection);
      return events;
    },
    probe(id, raw) {
      if (!latest) throw new Error('The model has no weights to show yet: probe again once training has started.');
      if (!twin) {
        twin = buildModel(spec, data);
        twin.optimizer.dispose(); // inference only
      }
      twin.setWeights(latest.weights);
      const { event } = inspectInput(twin, encoder, raw, { id, maxUnits: spec.inspect.max_units, weights: { kind: 'epoch', epoch: latest.epoch } });
      return ++probed > MAX_KEPT_INSPECTIONS ? { ...event, notKept: true } : event;
    },
    dispose() {
      latest?.weights.forEach((w) => w.dispose());
      twin?.dispose();
      probeInput?.dispose();
      flowBatch?.x.dispose();
      flowBatch?.y.dispose();
    },
  };
}

/**
 * The epochs whose heatmaps are kept: all of them (and -1, before training) when they fit in
 * `cap`, otherwise `cap` evenly spaced ones from -1 to the last.
 */
export function snapshotEpochs(epochs: number, cap: number): Set<number> {
  const all = epochs + 1;
  if (all <= cap) return new Set(Array.from({ length: all }, (_, i) => i - 1));
  const chosen = new Set<number>();
  for (let i = 0; i < cap; i++) chosen.add(Math.round(-1 + (i * epochs) / (cap - 1)));
  return chosen;
}

function encodeProbes(spec: ModelSpec, data: PreparedData, maxProbes: number | undefined): EncodedProbe[] {
  const wanted = spec.inspect.probes.slice(0, maxProbes ?? spec.inspect.probes.length);
  return wanted.map((probe) => ('text' in probe ? data.encodeText(probe.text) : data.validationExample(probe.index)));
}

/** All probes in one batch: `[P, T]` token ids or `[P, T, F]` values. */
export function probeBatch(probes: readonly EncodedProbe[], data: Pick<PreparedData, 'inputKind' | 'timesteps' | 'features'>): tf.Tensor {
  const stepShape = data.inputKind === 'tokens' ? [data.timesteps] : [data.timesteps, data.features];
  const size = stepShape.reduce((a, b) => a * b, 1);
  const values = data.inputKind === 'tokens' ? new Int32Array(probes.length * size) : new Float32Array(probes.length * size);
  probes.forEach((probe, p) => {
    if (probe.x.length !== size) throw new Error(`Probe "${probe.label}" has ${probe.x.length} values, expected ${size}.`);
    values.set(probe.x, p * size);
  });
  return tf.tensor(values, [probes.length, ...stepShape], data.inputKind === 'tokens' ? 'int32' : 'float32');
}
