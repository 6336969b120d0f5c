/** How cluster layers look: shared by their (lazily loaded) layer, legend and tooltip. */

/** The aggregated column a cluster source gives each cell: how many points are in it. */
export const CLUSTER_COUNT = 'points_count';

/** A cluster's circle radius in pixels: 8 for one point, about 8 more per tenfold. */
export const clusterRadius = (points: number) => 8 + 8 * Math.log10(Math.max(1, points));

/** A count as a short label: 950, 1.2k, 35k, 1.4M. */
export function clusterLabel(points: number): string {
  if (points < 1000) return String(Math.round(points));
  const [value, unit] = points < 1e6 ? [points / 1e3, 'k'] : [points / 1e6, 'M'];
  return `${value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value)}${unit}`;
}
