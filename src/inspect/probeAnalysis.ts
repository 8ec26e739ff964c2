/**
 * What the panel shows for a probe sequence: the model's prediction, the hidden state of every
 * recurrent layer at every timestep and, for LSTM and GRU, every gate. One step-by-step pass over
 * all recurrent layers (cells.ts) gives all of it; its output is the model's own to 1e-5.
 */
import * as tf from '@tensorflow/tfjs';
import type { TfActivation } from '../model/recurrentReference';
import type { Encoder } from '../data/preprocessing';
import type { EncodedProbe } from '../data/types';
import type { GateName, LayerGates, LayerStates, ProbeSnapshot } from '../protocol';
import { KEEP_GATE, type CellConfig } from './cells';
import { walk, type RecurrentSite, type SiteRecording } from './network';
import { summarizePrediction } from './predictionSummary';
import { quantize } from './quantize';
import { round4 } from './rounding';
import { textWindow } from './textWindow';
import { tidyValues } from './tidyValues';

export interface ProbeAnalysis {
  snapshots: ProbeSnapshot[];
  /** Per probe, in the order of `snapshots`: every recurrent layer's gates, per direction. */
  gates: LayerGates[][];
}

export interface ProbeAnalysisOptions {
  /** Heatmaps keep the first units of each layer (`inspect.max_units`). */
  maxUnits: number;
  /** The run's preprocessing: reads the output as a class, a token or a value in the data's units. */
  encoder: Encoder;
  /** Record gates too (they are kept for fewer epochs than hidden states are). */
  withGates: boolean;
}


/** Runs `probes` (one batch, `input` `[P, T]` or `[P, T, F]`) through the model. */
export function analyzeProbes(
  model: tf.LayersModel,
  sites: readonly RecurrentSite[],
  probes: readonly EncodedProbe[],
  input: tf.Tensor,
  options: ProbeAnalysisOptions,
): ProbeAnalysis {
  const pass = tidyValues(() => {
    const recordings: SiteRecording[] = [];
    const output = walk(model, sites, input, {
      recompute: new Set(sites.map((_, i) => i)),
      recordGates: options.withGates,
      onSite: (recording) => recordings.push(recording),
    });
    return { output: output.arraySync() as number[][] | number[][][], sites: recordings.map(readRecording) };
  });
  const snapshots = probes.map((probe, p): ProbeSnapshot => {
    const output = pass.output[p];
    return {
      id: `probe-${p}`,
      label: probe.label,
      tokens: probe.tokens,
      prediction: lastStep(output),
      summary: summarizePrediction(options.encoder.readPrediction(output.flat(), { x: probe.x, shape: probe.xShape, tokens: probe.tokens })),
      layers: pass.sites.map((site) => layerStates(site, p, options.maxUnits)),
    };
  });
  const gates = options.withGates
    ? probes.map((probe, p) => pass.sites.flatMap((site) => layerGates(site, p, textWindow(probe.tokens), options.maxUnits)))
    : [];
  return { snapshots, gates };
}

/** A recording read back into plain arrays (`[B, T, units]` flattened), with the keep-gate means over all units. */
interface SiteValues {
  site: RecurrentSite;
  directions: {
    direction: 'forward' | 'backward';
    cell: CellConfig;
    states: Float32Array;
    gates: { gate: GateName; values: Float32Array }[];
    /** `[B, T]` mean of the keep gate over every unit. */
    keep?: Float32Array;
  }[];
  batch: number;
  steps: number;
}

function readRecording(recording: SiteRecording): SiteValues {
  const [batch, steps] = recording.directions[0].states.shape;
  return {
    site: recording.site,
    batch,
    steps,
    directions: recording.directions.map(({ direction, states, gates }, d) => {
      const cell = recording.site.directions[d].cell;
      const keepGate = KEEP_GATE[cell.kind];
      const keep = keepGate && gates[keepGate] ? (tf.mean(gates[keepGate] as tf.Tensor, 2).dataSync() as Float32Array) : undefined;
      return {
        direction,
        cell,
        states: states.dataSync() as Float32Array,
        gates: Object.entries(gates).map(([gate, values]) => ({ gate: gate as GateName, values: values.dataSync() as Float32Array })),
        ...(keep ? { keep } : {}),
      };
    }),
  };
}

/** `states[t][u]` of probe `p`, directions side by side (a bidirectional layer's forward units first). */
function layerStates(site: SiteValues, p: number, maxUnits: number): LayerStates {
  const { steps } = site;
  const states: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const row: number[] = [];
    for (const direction of site.directions) {
      const units = direction.cell.units;
      const offset = (p * steps + t) * units;
      for (let u = 0; u < units; u++) row.push(round4(direction.states[offset + u]));
    }
    states.push(row.slice(0, maxUnits));
  }
  return { layer: site.site.name, units: states[0]?.length ?? 0, states };
}

function layerGates(site: SiteValues, p: number, window: { start: number; end: number }, maxUnits: number): LayerGates[] {
  const { steps } = site;
  const rows = window.end - window.start;
  return site.directions.map((direction) => {
    const units = direction.cell.units;
    const cols = Math.min(units, maxUnits);
    const at = (values: Float32Array) => (row: number, col: number) => values[(p * steps + window.start + row) * units + col];
    return {
      layer: site.site.name,
      cell: direction.cell.kind,
      direction: direction.direction,
      start: window.start,
      gates: direction.gates.map(({ gate, values }) => ({ gate, values: quantize(rows, cols, at(values), gateBounds(gateActivation(direction.cell, gate))) })),
      ...(direction.keep ? { keep: Array.from(direction.keep.subarray(p * steps + window.start, p * steps + window.end), round4) } : {}),
    };
  });
}

function gateActivation(cell: CellConfig, gate: GateName): TfActivation {
  return gate === 'cell' || gate === 'candidate' ? cell.activation : cell.recurrentActivation;
}

/** The fixed range of a bounded activation, so one byte always means the same gate value. */
function gateBounds(activation: TfActivation): readonly [number, number] | undefined {
  switch (activation) {
    case 'sigmoid':
    case 'hardSigmoid':
    case 'softmax':
      return [0, 1];
    case 'tanh':
      return [-1, 1];
    default:
      return undefined; // unbounded (relu, linear...): the observed range
  }
}

/** The prediction shown with a probe: the output vector, of the last timestep for sequence outputs. */
export function lastStep(output: number[] | number[][]): number[] {
  return Array.isArray(output[0]) ? (output[output.length - 1] as number[]) : (output as number[]);
}
