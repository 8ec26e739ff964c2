/**
 * A uPlot chart that follows its container's width, and the themed axis the panel's charts share.
 * (The curves view predates it and keeps its own copy.)
 */
import uPlot from 'uplot';
import type { Theme } from '../theme';

export function themedAxis(theme: Theme): uPlot.Axis {
  return {
    stroke: theme.mutedForeground,
    font: theme.font,
    labelFont: theme.font,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
  };
}

export class ResizingPlot {
  plot?: uPlot;
  private width = 0;
  private readonly resize = new ResizeObserver(() => {
    // Only a width change resizes: setSize re-lays out the legend, which would retrigger us.
    if (this.plot && this.body.clientWidth !== this.width) this.plot.setSize(this.size());
  });

  constructor(
    readonly body: HTMLElement,
    private readonly height: number,
  ) {
    this.resize.observe(body);
  }

  /** A new chart (series or theme changed); `options` gets the current size. */
  replace(options: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData): uPlot {
    this.plot?.destroy();
    this.plot = new uPlot({ ...options, ...this.size() } as uPlot.Options, data, this.body);
    return this.plot;
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  private size(): { width: number; height: number } {
    this.width = this.body.clientWidth;
    return { width: Math.max(this.width, 200), height: this.height };
  }
}
