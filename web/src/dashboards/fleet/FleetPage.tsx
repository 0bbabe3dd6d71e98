import RefreshIcon from '@mui/icons-material/Refresh';
import { Box, Grid, IconButton, LinearProgress, Stack, Tooltip, Typography } from '@mui/material';
import { useCallback, useMemo } from 'react';
import { Title, useLocation, useNavigate } from 'react-admin';
import { gpuFleetQuery } from '../../dataProvider/fleetQueries';
import { useAnalyticsQuery } from '../../dataProvider/useAnalyticsQuery';
import { QueryErrorAlert } from '../QueryErrorAlert';
import { EmptyFleetState } from './EmptyFleetState';
import { fleetFilterFromSearch, isFiltered, searchForFleetFilter, serverFleetFilter, type FleetFilterValues } from './fleetFilter';
import { FleetFilters } from './FleetFilters';
import { FleetTotals } from './FleetTotals';
import { GpuHotSpotsCard } from './GpuHotSpotsCard';
import { GpuTile } from './GpuTile';
import { formatTimeOfDay } from './gpuFormat';
import { IdleGpusCard } from './IdleGpusCard';
import { useKnownNames } from './useKnownNames';

const refreshMilliseconds = 30_000;

export function FleetPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const filterValues = useMemo(() => fleetFilterFromSearch(location.search), [location.search]);
  const filter = useMemo(() => serverFleetFilter(filterValues), [filterValues]);
  const changeFilter = useCallback(
    (values: FleetFilterValues) => navigate({ pathname: location.pathname, search: searchForFleetFilter(values) }),
    [navigate, location.pathname],
  );
  const { data: currentData, previousData, error, loading, refetch } = useAnalyticsQuery(
    gpuFleetQuery,
    { filter },
    { pollInterval: refreshMilliseconds },
  );
  const fleet = (currentData ?? previousData)?.gpuFleet;
  const nodeNames = useKnownNames(fleet?.tiles.map(tile => tile.node));
  const gpuNames = useKnownNames(fleet?.tiles.map(tile => tile.gpuName));
  const tiles = fleet?.tiles.filter(tile => !filterValues.gpuName || tile.gpuName === filterValues.gpuName) ?? [];

  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title="GPU fleet" />
      <Stack direction="row" justifyContent="space-between" alignItems="center" flexWrap="wrap" useFlexGap spacing={2}>
        <FleetFilters values={filterValues} nodeNames={nodeNames} gpuNames={gpuNames} onChange={changeFilter} />
        <Stack direction="row" alignItems="center" spacing={1}>
          <Typography variant="body2" color="text.secondary" data-testid="fleet-updated-at">
            {fleet ? `Updated ${formatTimeOfDay(fleet.at)} · every ${refreshMilliseconds / 1000} s` : 'Loading…'}
          </Typography>
          <Tooltip title="Refresh now">
            <IconButton size="small" onClick={() => void refetch()} aria-label="Refresh now">
              <RefreshIcon fontSize="small" />
            </IconButton>
          </Tooltip>
        </Stack>
      </Stack>
      <Box sx={{ minHeight: 4 }}>{loading && <LinearProgress />}</Box>
      {error && (
        <QueryErrorAlert title="The GPU fleet query failed" message={error.message} onRetry={() => void refetch()} testId="fleet-error" />
      )}
      {!error && fleet && tiles.length === 0 && <EmptyFleetState filtered={isFiltered(filterValues)} />}
      {!error && fleet && tiles.length > 0 && (
        <>
          <FleetTotals fleet={fleet} />
          {filterValues.gpuName && (
            <Typography variant="caption" color="text.secondary">
              Showing the {tiles.length} {filterValues.gpuName} of {fleet.gpus} GPUs; the totals cover all {fleet.gpus}.
            </Typography>
          )}
          <Grid container spacing={2}>
            {tiles.map(tile => (
              <Grid key={`${tile.node}/${tile.gpuUuid}/${tile.migInstance}`} size={{ xs: 12, sm: 6, md: 4, xl: 3 }}>
                <GpuTile tile={tile} />
              </Grid>
            ))}
          </Grid>
        </>
      )}
      {!error && fleet && fleet.gpus > 0 && (
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, xl: 6 }}>
            <IdleGpusCard at={fleet.at} filter={filter} />
          </Grid>
          <Grid size={{ xs: 12, xl: 6 }}>
            <GpuHotSpotsCard at={fleet.at} filter={filter} />
          </Grid>
        </Grid>
      )}
    </Stack>
  );
}
