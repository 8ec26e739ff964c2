/**
 * Keras's automatic layer names: the snake_case class name, then `_1`, `_2`... for repeats, counted
 * per model. A wrapped layer (inside `bidirectional` / `time_distributed`) is constructed first in
 * Keras (`Bidirectional(LSTM(8))`), so it takes its name, and its counter, before the wrapper.
 */
import type { LayerSpec, LayerType } from '../language/types';

export interface LayerNames {
  name: string;
  /** Name of the wrapped layer, for wrappers. */
  inner?: string;
}

export function kerasLayerNames(layers: readonly LayerSpec[]): LayerNames[] {
  const counts = new Map<LayerType, number>();
  const next = (type: LayerType): string => {
    const seen = counts.get(type) ?? 0;
    counts.set(type, seen + 1);
    return seen === 0 ? type : `${type}_${seen}`;
  };
  return layers.map((layer) => {
    if (layer.type === 'bidirectional' || layer.type === 'time_distributed') {
      const inner = next(layer.layer.type);
      return { name: next(layer.type), inner };
    }
    return { name: next(layer.type) };
  });
}
