import { gql, type TypedDocumentNode } from '@apollo/client';

// Typed GPU fleet documents (server: modules/gpu). Sizes are bytes, ratios 0..1, power watts, clocks hertz.

export type GpuStatus = 'OK' | 'IDLE' | 'HOT' | 'STALE';
export type GpuResolution = 'RAW' | 'MINUTE' | 'HOUR';

export interface GpuFleetFilter {
  nodes?: string[];
  label?: string;
  model?: string;
}

export interface GpuTile {
  node: string;
  gpuIndex: number;
  gpuUuid: string;
  migInstance: string;
  gpuName: string;
  status: GpuStatus;
  lastSeen: string;
  utilizationRatio: number | null;
  memoryUsedBytes: number | null;
  memoryTotalBytes: number | null;
  powerDrawWatts: number | null;
  powerLimitWatts: number | null;
  temperatureCelsius: number | null;
  eccErrorsTotal: number | null;
  throttleReasons: string[];
}

export interface GpuFleet {
  at: string;
  staleAfterMinutes: number;
  gpus: number;
  nodes: number;
  reportingGpus: number;
  idleGpus: number;
  hotGpus: number;
  staleGpus: number;
  averageUtilizationRatio: number | null;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  powerDrawWatts: number;
  hottestTemperatureCelsius: number | null;
  tiles: GpuTile[];
}

export const gpuFleetQuery: TypedDocumentNode<{ gpuFleet: GpuFleet }, { filter?: GpuFleetFilter }> = gql`
  query GpuFleet($filter: GpuFleetFilter) {
    gpuFleet(filter: $filter) {
      at
      staleAfterMinutes
      gpus
      nodes
      reportingGpus
      idleGpus
      hotGpus
      staleGpus
      averageUtilizationRatio
      memoryUsedBytes
      memoryTotalBytes
      powerDrawWatts
      hottestTemperatureCelsius
      tiles {
        node
        gpuIndex
        gpuUuid
        migInstance
        gpuName
        status
        lastSeen
        utilizationRatio
        memoryUsedBytes
        memoryTotalBytes
        powerDrawWatts
        powerLimitWatts
        temperatureCelsius
        eccErrorsTotal
        throttleReasons
      }
    }
  }
`;

export interface GpuSeriesPoint {
  time: string;
  utilizationRatio: number | null;
  utilizationRatioMax: number | null;
  memoryUsedBytes: number | null;
  memoryTotalBytes: number | null;
  powerDrawWatts: number | null;
  powerDrawWattsMax: number | null;
  temperatureCelsius: number | null;
  temperatureCelsiusMax: number | null;
  throttleReasons: string[];
}

export interface GpuSeries {
  node: string;
  gpuUuid: string;
  migInstance: string;
  gpuIndex: number;
  gpuName: string;
  points: GpuSeriesPoint[];
}

export interface GpuSeriesAnswer {
  from: string;
  to: string;
  bucketSeconds: number;
  resolution: GpuResolution;
  series: GpuSeries[];
}

export interface GpuSeriesVariables {
  from: string;
  to: string;
  node: string;
  gpuUuid: string;
}

export const gpuSeriesQuery: TypedDocumentNode<{ gpuSeries: GpuSeriesAnswer }, GpuSeriesVariables> = gql`
  query GpuSeries($from: DateTime!, $to: DateTime!, $node: String!, $gpuUuid: String) {
    gpuSeries(from: $from, to: $to, node: $node, gpuUuid: $gpuUuid) {
      from
      to
      bucketSeconds
      resolution
      series {
        node
        gpuUuid
        migInstance
        gpuIndex
        gpuName
        points {
          time
          utilizationRatio
          utilizationRatioMax
          memoryUsedBytes
          memoryTotalBytes
          powerDrawWatts
          powerDrawWattsMax
          temperatureCelsius
          temperatureCelsiusMax
          throttleReasons
        }
      }
    }
  }
`;

export interface IdleGpu {
  node: string;
  gpuUuid: string;
  migInstance: string;
  gpuIndex: number;
  gpuName: string;
  averageUtilizationRatio: number;
  maxUtilizationRatio: number | null;
  averagePowerDrawWatts: number | null;
  maxMemoryUsedBytes: number | null;
  lastSeen: string;
}

export interface IdleGpusAnswer {
  from: string;
  to: string;
  belowUtilizationRatio: number;
  gpus: IdleGpu[];
}

export interface IdleGpusVariables {
  at: string;
  hours: number;
  belowUtilizationRatio: number;
  filter?: GpuFleetFilter;
}

export const idleGpusQuery: TypedDocumentNode<{ idleGpus: IdleGpusAnswer }, IdleGpusVariables> = gql`
  query IdleGpus($at: DateTime!, $hours: Int!, $belowUtilizationRatio: Float!, $filter: GpuFleetFilter) {
    idleGpus(at: $at, hours: $hours, belowUtilizationRatio: $belowUtilizationRatio, filter: $filter) {
      from
      to
      belowUtilizationRatio
      gpus {
        node
        gpuUuid
        migInstance
        gpuIndex
        gpuName
        averageUtilizationRatio
        maxUtilizationRatio
        averagePowerDrawWatts
        maxMemoryUsedBytes
        lastSeen
      }
    }
  }
`;

export interface GpuHotSpot {
  node: string;
  gpuUuid: string;
  migInstance: string;
  gpuIndex: number;
  gpuName: string;
  reasons: string[];
  maxTemperatureCelsius: number | null;
  averageTemperatureCelsius: number | null;
  throttleReasons: string[];
  throttledSamples: number;
  samples: number;
  newEccErrors: number | null;
  eccErrorsTotal: number | null;
  lastSeen: string;
}

export interface GpuHotSpotsAnswer {
  from: string;
  to: string;
  temperatureAboveCelsius: number;
  gpus: GpuHotSpot[];
}

export interface GpuHotSpotsVariables {
  from: string;
  to: string;
  temperatureAboveCelsius: number;
  filter?: GpuFleetFilter;
}

export const gpuHotSpotsQuery: TypedDocumentNode<{ gpuHotSpots: GpuHotSpotsAnswer }, GpuHotSpotsVariables> = gql`
  query GpuHotSpots($from: DateTime!, $to: DateTime!, $temperatureAboveCelsius: Float!, $filter: GpuFleetFilter) {
    gpuHotSpots(from: $from, to: $to, temperatureAboveCelsius: $temperatureAboveCelsius, filter: $filter) {
      from
      to
      temperatureAboveCelsius
      gpus {
        node
        gpuUuid
        migInstance
        gpuIndex
        gpuName
        reasons
        maxTemperatureCelsius
        averageTemperatureCelsius
        throttleReasons
        throttledSamples
        samples
        newEccErrors
        eccErrorsTotal
        lastSeen
      }
    }
  }
`;
