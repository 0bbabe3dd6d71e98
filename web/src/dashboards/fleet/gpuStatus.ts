import type { GpuStatus } from '../../dataProvider/fleetQueries';

// One colour and one word per server status (ok/idle/hot/stale), used by tiles, totals and the legend.

export const gpuStatusColour: Record<GpuStatus, 'success' | 'info' | 'error' | 'default'> = {
  OK: 'success',
  IDLE: 'info',
  HOT: 'error',
  STALE: 'default',
};

export const gpuStatusLabel: Record<GpuStatus, string> = {
  OK: 'ok',
  IDLE: 'idle',
  HOT: 'hot',
  STALE: 'stale',
};

/** The palette path for a tile's edge: `success.main`, `grey.500` for stale. */
export function gpuStatusPaletteColour(status: GpuStatus): string {
  const colour = gpuStatusColour[status];
  return colour === 'default' ? 'grey.500' : `${colour}.main`;
}
