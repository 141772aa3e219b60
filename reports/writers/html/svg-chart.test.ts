/** @module reports/writers/html: the charts' y-axis says something true — no repeated labels, and "no data" when there is none. */
import { describe, expect, it } from 'vitest';
import { renderChart, yAxisMax, type Axis, type ChartSpec } from './svg-chart.js';

const axis: Axis = { runMs: 10_000, stepMs: 1000, phases: [], faults: [] };
const count = (v: number): string => String(Math.round(v));
const spec = (values: readonly (number | null)[], extra: Partial<ChartSpec> = {}): ChartSpec => ({
  id: 'c', title: 'Requests per second', unit: 'req/s', reduce: 'max', format: count, integer: true, series: [{ name: 'all', values, color: '#000' }], ...extra,
});
/** The y labels from top to bottom. */
const yLabels = (svg: string): string[] => [...svg.matchAll(/class="tick y-tick"[^>]*>([^<]*)</g)].map((m) => m[1] as string).reverse();

describe('chart y-axis', () => {
  it('labels an all-zero count series 2 / 1 / 0, not 1 / 1 / 0', () => {
    expect(yLabels(renderChart(spec([0, 0, 0, 0]), axis))).toEqual(['2', '1', '0']);
  });

  it('keeps count labels whole and distinct for small and odd maxima', () => {
    expect(yLabels(renderChart(spec([1, 0, 1]), axis))).toEqual(['2', '1', '0']);
    expect(yLabels(renderChart(spec([3, 1]), axis))).toEqual(['6', '3', '0']);
    expect(yLabels(renderChart(spec([21]), axis))).toEqual(['26', '13', '0']);
    for (let max = 0; max <= 300; max += 0.7) {
      const labels = yLabels(renderChart(spec([max]), axis));
      expect(new Set(labels).size, `max ${max}: ${labels.join(' / ')}`).toBe(3);
      expect(Number(labels[1]) * 2, `max ${max}`).toBe(Number(labels[0]));
    }
  });

  it('leaves fractional axes on round numbers (a rate of 0 still reads 0 % to 100 %)', () => {
    expect(yAxisMax(0)).toBe(1);
    expect(yAxisMax(0.03)).toBeCloseTo(0.05);
    expect(yAxisMax(220)).toBe(250);
    const pct = (v: number): string => `${Math.round(v * 100)} %`;
    expect(yLabels(renderChart(spec([0, 0], { integer: false, format: pct }), axis))).toEqual(['100 %', '50 %', '0 %']);
  });

  it('says "no data" without a scale when no series has a single value', () => {
    const svg = renderChart(spec([null, null, null]), axis);
    expect(yLabels(svg)).toEqual([]);
    expect(svg).toContain('>no data</text>');
    expect(renderChart(spec([], { series: [] }), axis)).toContain('>no data</text>');
    expect(renderChart(spec([null, 0, null]), axis)).not.toContain('no data');
  });
});
