/**
 * Baselines on a chart (issue 8 §1): each a labelled horizontal dashed line at its value, and a y
 * range stretched to include them, so a model that does not beat "always the majority class" or
 * "repeat the last value" shows it at a glance. A uPlot plugin, shared by the curves and the
 * comparison.
 */
import uPlot from 'uplot';
import type { BaselineLine } from './chartBaselines';
import { formatValue } from './format';
import type { Theme } from './theme';

export type { BaselineLine };

/** Draws `lines()` (read at every redraw, so a chart follows its run) over the plotting area. */
export function baselinePlugin(lines: () => readonly BaselineLine[], theme: Theme): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (plot) => {
          // Bottom line first: a label pushed up by a crowded neighbour then stays in the lines' order.
          const shown = lines()
            .filter((line) => Number.isFinite(line.value))
            .sort((a, b) => a.value - b.value);
          if (shown.length === 0) return;
          const { ctx, bbox } = plot;
          const ratio = devicePixelRatio || 1;
          ctx.save();
          ctx.beginPath();
          ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
          ctx.clip();
          ctx.font = `${Math.round(11 * ratio)}px ${theme.fontFamily}`;
          ctx.textAlign = 'right';
          ctx.textBaseline = 'bottom';
          const taken: number[] = [];
          for (const line of shown) {
            const y = Math.round(plot.valToPos(line.value, 'y', true)) + 0.5;
            if (y < bbox.top || y > bbox.top + bbox.height) continue;
            ctx.strokeStyle = theme.mutedForeground;
            ctx.lineWidth = ratio;
            ctx.setLineDash([6 * ratio, 4 * ratio]);
            ctx.beginPath();
            ctx.moveTo(bbox.left, y);
            ctx.lineTo(bbox.left + bbox.width, y);
            ctx.stroke();
            // Labels of lines close together move up rather than overlap.
            let labelY = y - 2 * ratio;
            while (taken.some((other) => Math.abs(other - labelY) < 12 * ratio)) labelY -= 12 * ratio;
            taken.push(labelY);
            ctx.fillStyle = theme.mutedForeground;
            ctx.fillText(`${line.label} ${formatValue(line.value)}`, bbox.left + bbox.width - 4 * ratio, labelY);
          }
          ctx.restore();
        },
      ],
    },
  };
}

/** A y range that holds the data and every baseline: linear with a little padding, or logarithmic. */
export function rangeWithBaselines(lines: () => readonly BaselineLine[], logScale: boolean): uPlot.Range.Function {
  return (_plot, dataMin, dataMax) => {
    const values = lines()
      .map((line) => line.value)
      .filter((value) => Number.isFinite(value) && (!logScale || value > 0));
    const known = [dataMin, dataMax].filter((value) => value !== null && Number.isFinite(value)) as number[];
    const all = [...known, ...values];
    if (all.length === 0) return [0, 1];
    const [min, max] = [Math.min(...all), Math.max(...all)];
    return logScale ? uPlot.rangeLog(min, max, 10, true) : uPlot.rangeNum(min, max, 0.1, true);
  };
}
