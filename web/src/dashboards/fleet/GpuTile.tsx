import { Box, Card, CardActionArea, CardContent, Chip, LinearProgress, Stack, Tooltip, Typography } from '@mui/material';
import { Link as RouterLink } from 'react-admin';
import type { GpuTile as GpuTileData } from '../../dataProvider/fleetQueries';
import { gpuDetailLink } from './gpuDetailLink';
import { formatCelsius, formatMemory, formatPercent, formatTimeOfDay, formatWatts } from './gpuFormat';
import { gpuStatusColour, gpuStatusLabel, gpuStatusPaletteColour } from './gpuStatus';

function Reading({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Box>
      <Typography variant="caption" color="text.secondary" component="div">
        {label}
      </Typography>
      <Typography variant="body2" data-testid={testId} sx={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Typography>
    </Box>
  );
}

function memoryRatio(tile: GpuTileData): number | null {
  if (tile.memoryUsedBytes == null || !tile.memoryTotalBytes) return null;
  return tile.memoryUsedBytes / tile.memoryTotalBytes;
}

export function GpuTile({ tile }: { tile: GpuTileData }) {
  const power =
    tile.powerLimitWatts != null
      ? `${formatWatts(tile.powerDrawWatts)} / ${formatWatts(tile.powerLimitWatts)}`
      : formatWatts(tile.powerDrawWatts);
  const memory = memoryRatio(tile);
  return (
    <Card
      data-testid="gpu-tile"
      data-status={tile.status}
      sx={{ height: '100%', borderLeft: 6, borderColor: gpuStatusPaletteColour(tile.status) }}
    >
      <CardActionArea component={RouterLink} to={gpuDetailLink(tile.node, tile.gpuUuid)} sx={{ height: '100%' }}>
        <CardContent>
          <Stack direction="row" justifyContent="space-between" alignItems="flex-start" spacing={1}>
            <Box sx={{ minWidth: 0 }}>
              <Typography variant="subtitle2" noWrap data-testid="gpu-tile-title">
                {tile.node} · GPU {tile.gpuIndex}
                {tile.migInstance && ' (MIG)'}
              </Typography>
              <Typography variant="caption" color="text.secondary" noWrap component="div">
                {tile.gpuName}
              </Typography>
            </Box>
            <Chip size="small" label={gpuStatusLabel[tile.status]} color={gpuStatusColour[tile.status]} data-testid="gpu-tile-status" />
          </Stack>
          <Box sx={{ mt: 1.5 }}>
            <Stack direction="row" justifyContent="space-between">
              <Typography variant="caption" color="text.secondary">
                Utilisation
              </Typography>
              <Typography variant="caption" data-testid="gpu-tile-utilization">
                {formatPercent(tile.utilizationRatio)}
              </Typography>
            </Stack>
            <LinearProgress variant="determinate" value={(tile.utilizationRatio ?? 0) * 100} sx={{ height: 6, borderRadius: 1 }} />
            <Stack direction="row" justifyContent="space-between" sx={{ mt: 1 }}>
              <Typography variant="caption" color="text.secondary">
                Memory
              </Typography>
              <Typography variant="caption" data-testid="gpu-tile-memory">
                {formatMemory(tile.memoryUsedBytes, tile.memoryTotalBytes)}
              </Typography>
            </Stack>
            <LinearProgress variant="determinate" color="secondary" value={(memory ?? 0) * 100} sx={{ height: 6, borderRadius: 1 }} />
          </Box>
          <Stack direction="row" spacing={3} sx={{ mt: 1.5 }}>
            <Reading label="Power" value={power} testId="gpu-tile-power" />
            <Reading label="Temperature" value={formatCelsius(tile.temperatureCelsius)} testId="gpu-tile-temperature" />
          </Stack>
          <Tooltip title={tile.throttleReasons.length > 0 ? `Clock events: ${tile.throttleReasons.join(', ')}` : ''}>
            <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 1 }} noWrap>
              Last sample {formatTimeOfDay(tile.lastSeen)}
              {tile.throttleReasons.length > 0 && ` · ${tile.throttleReasons.join(', ')}`}
            </Typography>
          </Tooltip>
        </CardContent>
      </CardActionArea>
    </Card>
  );
}
