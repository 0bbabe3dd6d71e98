/** Where a GPU read is served from: raw samples, the 1-minute rollup or the 1-hour rollup. */
export enum GpuResolution {
  RAW = 'RAW',
  MINUTE = 'MINUTE',
  HOUR = 'HOUR',
}

export interface SeriesPlan {
  resolution: GpuResolution;
  bucketSeconds: number;
  /** The range widened to whole buckets, so the first and last points are complete buckets. */
  from: Date;
  to: Date;
}

/** At most this many points per series: enough for a wide chart, few enough to draw and ship quickly. */
export const maxPointsPerSeries = 720;
/** Bucket sizes offered, smallest first; below 15 s a bucket is smaller than the exporter's default interval. */
export const bucketChoicesSeconds = [15, 30, 60, 300, 900, 3600, 3 * 3600, 6 * 3600, 86400] as const;

/**
 * The smallest bucket that keeps a series within maxPointsPerSeries, and the coarsest source that still has that
 * bucket exactly: raw rows under a minute, the 1-minute rollup under an hour, the 1-hour rollup from an hour on.
 */
export function planSeries(from: Date, to: Date): SeriesPlan {
  const rangeSeconds = (to.getTime() - from.getTime()) / 1000;
  const bucketSeconds = bucketChoicesSeconds.find((bucket) => rangeSeconds / bucket <= maxPointsPerSeries) ?? 86400;
  const resolution = bucketSeconds < 60 ? GpuResolution.RAW : bucketSeconds < 3600 ? GpuResolution.MINUTE : GpuResolution.HOUR;
  const bucketMs = bucketSeconds * 1000;
  return {
    resolution,
    bucketSeconds,
    from: new Date(Math.floor(from.getTime() / bucketMs) * bucketMs),
    to: new Date(Math.ceil(to.getTime() / bucketMs) * bucketMs),
  };
}

/**
 * For window aggregates (idle finder, hot spots): the coarsest rollup whose buckets tile [from, to) exactly. The
 * window's end is first floored to the minute, so a window ending "now" reads the 1-minute rollup, not raw rows.
 */
export function planWindow(to: Date, hours: number): { resolution: GpuResolution; from: Date; to: Date } {
  const end = Math.floor(to.getTime() / 60_000) * 60_000;
  const start = end - hours * 3600_000;
  const onHours = end % 3600_000 === 0 && start % 3600_000 === 0;
  return { resolution: onHours ? GpuResolution.HOUR : GpuResolution.MINUTE, from: new Date(start), to: new Date(end) };
}

/** As planWindow, for an explicit [from, to): raw rows when the ends are not on whole minutes. */
export function planRange(from: Date, to: Date): { resolution: GpuResolution; from: Date; to: Date } {
  const onHours = from.getTime() % 3600_000 === 0 && to.getTime() % 3600_000 === 0;
  const onMinutes = from.getTime() % 60_000 === 0 && to.getTime() % 60_000 === 0;
  return { resolution: onHours ? GpuResolution.HOUR : onMinutes ? GpuResolution.MINUTE : GpuResolution.RAW, from, to };
}
