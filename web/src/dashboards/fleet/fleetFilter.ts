import type { GpuFleetFilter } from '../../dataProvider/fleetQueries';

// The fleet filter lives in the URL: ?node=gpu-a&gpuName=H100&model=llama-3-8b&label=rack%3Da1.
// node, model and label go to the server (so totals, idle and hot-spot lists follow them); gpuName is matched here.

export interface FleetFilterValues {
  node: string;
  gpuName: string;
  model: string;
  label: string;
}

const filterNames = ['node', 'gpuName', 'model', 'label'] as const;

export function fleetFilterFromSearch(search: string): FleetFilterValues {
  const parameters = new URLSearchParams(search);
  const value = (name: string) => parameters.get(name)?.trim() ?? '';
  return { node: value('node'), gpuName: value('gpuName'), model: value('model'), label: value('label') };
}

export function searchForFleetFilter(values: FleetFilterValues): string {
  const parameters = new URLSearchParams();
  for (const name of filterNames) if (values[name].trim()) parameters.set(name, values[name].trim());
  const search = parameters.toString();
  return search ? `?${search}` : '';
}

/** The server's part of the filter; undefined when nothing is asked, so the query stays the plain one. */
export function serverFleetFilter(values: FleetFilterValues): GpuFleetFilter | undefined {
  const filter: GpuFleetFilter = {};
  if (values.node) filter.nodes = [values.node];
  if (values.model) filter.model = values.model;
  if (values.label) filter.label = values.label;
  return Object.keys(filter).length > 0 ? filter : undefined;
}

export function isFiltered(values: FleetFilterValues): boolean {
  return filterNames.some(name => values[name] !== '');
}
