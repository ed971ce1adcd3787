import { useEffect, useRef } from 'react';
import type { ECharts, EChartsCoreOption } from 'echarts/core';

export type ChartOption = EChartsCoreOption;

let loading: Promise<typeof import('./echartsCore.ts')> | null = null;
/** ECharts, loaded once on first use (its own chunk: a page without charts does not load it). */
export const loadECharts = () => (loading ??= import('./echartsCore.ts'));

/** A small ECharts host: creates the chart once ECharts has loaded, updates its option, follows the container's size. */
export function EChart({ option, height = 300, testId }: { option: ChartOption; height?: number; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    let closed = false;
    let ro: ResizeObserver | null = null;
    void loadECharts().then(({ echarts }) => {
      if (closed || !ref.current) return;
      const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
      chart.current = c;
      c.setOption(latest.current, { notMerge: true });
      ro = new ResizeObserver(() => c.resize());
      ro.observe(ref.current);
    });
    return () => {
      closed = true;
      ro?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={ref} style={{ width: '100%', height }} data-testid={testId} />;
}
