/**
 * The task views of a run (issue 8): what a model is for, per epoch. Forecast runs get their
 * validation forecasts beside the naive ones, classifiers their confusion matrix and most
 * confidently wrong examples (both read from the trainer's validation pass), next-token models a
 * generated text sample.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PreparedData } from '../data/types';
import type { ModelSpec } from '../language/types';
import type { ClassificationEvent, ForecastEvent, TextSampleEvent } from '../protocol';
import { createClassificationView } from './classificationView';
import { createForecastView, type NaiveRule } from './forecastView';
import type { PredictionCollector } from './predictionCollector';
import { createTextSampler } from './textSample';

export type TaskViewEvent = ForecastEvent | ClassificationEvent | TextSampleEvent;

export interface TaskViews {
  /** Reads the predictions of the validation pass after each epoch; absent when no view needs them. */
  readonly collector?: PredictionCollector;
  /** The views after `epoch`, once the validation pass (if any) has run. */
  snapshot(model: tf.LayersModel, epoch: number): TaskViewEvent[];
}

/** `naive`: the forecast baselines' rules, drawn beside the model's forecasts. */
export function createTaskViews(spec: ModelSpec, data: PreparedData, naive: readonly NaiveRule[]): TaskViews {
  const hasValidation = data.validation.count > 0;
  switch (spec.data.task) {
    case 'forecast': {
      if (!hasValidation) return { snapshot: () => [] };
      const view = createForecastView(data, naive);
      return { collector: view, snapshot: (_model, epoch) => present(view.event(epoch)) };
    }
    case 'binary':
    case 'multiclass': {
      if (!hasValidation) return { snapshot: () => [] };
      const count = spec.data.task === 'binary' ? 2 : (data.classes ?? data.classNames?.length ?? 0);
      const names = Array.from({ length: count }, (_, id) => data.classNames?.[id] ?? String(id));
      const view = createClassificationView(data, names);
      return { collector: view, snapshot: (_model, epoch) => present(view.event(epoch)) };
    }
    case 'next-token': {
      const sampler = createTextSampler(spec, data);
      return { snapshot: (model, epoch) => present(sampler?.event(model, epoch)) };
    }
    case 'regression':
      return { snapshot: () => [] };
  }
}

function present<T>(event: T | undefined): T[] {
  return event ? [event] : [];
}
