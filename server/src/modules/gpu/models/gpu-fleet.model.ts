import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GpuResolution } from '../series-resolution';

export enum GpuStatus {
  OK = 'OK',
  IDLE = 'IDLE',
  HOT = 'HOT',
  STALE = 'STALE',
}
registerEnumType(GpuStatus, {
  name: 'GpuStatus',
  description: 'STALE: no sample within staleAfterMinutes; HOT: temperature at or above hotAboveCelsius or thermal/power throttling; IDLE: utilisation below idleBelowRatio; else OK.',
});
registerEnumType(GpuResolution, { name: 'GpuResolution', description: 'Where a GPU read came from: raw samples, the 1-minute or the 1-hour rollup.' });

@InputType()
export class GpuFleetFilter {
  @Field(() => [String], { nullable: true, description: 'Only these node names.' })
  nodes?: string[];

  @Field({ nullable: true, description: 'Only registered nodes of this kind (vllm, tgi, llama.cpp, ollama, other).' })
  kind?: string;

  @Field({ nullable: true, description: 'Only registered nodes with this label, as "key=value" (or "key" for any value).' })
  label?: string;

  @Field({ nullable: true, description: 'Only nodes that served this model in the 24 hours before `at`.' })
  model?: string;
}

@ObjectType('GpuTile')
export class GpuTileModel {
  @Field()
  node: string;

  @Field(() => Int)
  gpuIndex: number;

  @Field()
  gpuUuid: string;

  @Field({ description: "'' for a whole GPU; the MIG device uuid for a MIG instance." })
  migInstance: string;

  @Field()
  gpuName: string;

  @Field(() => GpuStatus)
  status: GpuStatus;

  @Field()
  lastSeen: Date;

  @Field(() => Float, { nullable: true, description: 'Latest sample, 0..1. Null for a STALE GPU or when not reported.' })
  utilizationRatio: number | null;

  @Field(() => Float, { nullable: true })
  memoryUsedBytes: number | null;

  @Field(() => Float, { nullable: true })
  memoryTotalBytes: number | null;

  @Field(() => Float, { nullable: true })
  powerDrawWatts: number | null;

  @Field(() => Float, { nullable: true })
  powerLimitWatts: number | null;

  @Field(() => Float, { nullable: true })
  temperatureCelsius: number | null;

  @Field(() => Float, { nullable: true })
  smClockHertz: number | null;

  @Field(() => Float, { nullable: true })
  eccErrorsTotal: number | null;

  @Field(() => [String], { description: 'Clock-event reasons active in the latest sample.' })
  throttleReasons: string[];
}

@ObjectType('GpuFleet')
export class GpuFleetModel {
  @Field()
  at: Date;

  @Field(() => Int)
  staleAfterMinutes: number;

  @Field(() => Int, { description: 'GPUs seen in the 24 hours before `at`.' })
  gpus: number;

  @Field(() => Int)
  nodes: number;

  @Field(() => Int, { description: 'GPUs with a sample within staleAfterMinutes of `at`.' })
  reportingGpus: number;

  @Field(() => Int)
  idleGpus: number;

  @Field(() => Int)
  hotGpus: number;

  @Field(() => Int)
  staleGpus: number;

  @Field(() => Float, { nullable: true, description: 'Mean of the reporting GPUs\' latest utilisation, 0..1.' })
  averageUtilizationRatio: number | null;

  @Field(() => Float)
  memoryUsedBytes: number;

  @Field(() => Float)
  memoryTotalBytes: number;

  @Field(() => Float)
  powerDrawWatts: number;

  @Field(() => Float, { nullable: true })
  hottestTemperatureCelsius: number | null;

  @Field(() => [GpuTileModel], { description: 'One per GPU, ordered by node then GPU index.' })
  tiles: GpuTileModel[];
}

@ObjectType('GpuSeriesPoint')
export class GpuSeriesPointModel {
  @Field({ description: 'Start of the bucket.' })
  time: Date;

  @Field(() => Float)
  samples: number;

  @Field(() => Float, { nullable: true })
  utilizationRatio: number | null;

  @Field(() => Float, { nullable: true })
  utilizationRatioMax: number | null;

  @Field(() => Float, { nullable: true })
  memoryUsedBytes: number | null;

  @Field(() => Float, { nullable: true })
  memoryTotalBytes: number | null;

  @Field(() => Float, { nullable: true })
  powerDrawWatts: number | null;

  @Field(() => Float, { nullable: true })
  powerDrawWattsMax: number | null;

  @Field(() => Float, { nullable: true })
  temperatureCelsius: number | null;

  @Field(() => Float, { nullable: true })
  temperatureCelsiusMax: number | null;

  @Field(() => Float, { nullable: true })
  smClockHertz: number | null;

  @Field(() => [String])
  throttleReasons: string[];
}

@ObjectType('GpuSeries')
export class GpuSeriesModel {
  @Field()
  node: string;

  @Field()
  gpuUuid: string;

  @Field()
  migInstance: string;

  @Field(() => Int)
  gpuIndex: number;

  @Field()
  gpuName: string;

  @Field(() => [GpuSeriesPointModel])
  points: GpuSeriesPointModel[];
}

@ObjectType('GpuSeriesAnswer')
export class GpuSeriesAnswerModel {
  @Field({ description: 'The range widened to whole buckets.' })
  from: Date;

  @Field()
  to: Date;

  @Field(() => Int)
  bucketSeconds: number;

  @Field(() => GpuResolution)
  resolution: GpuResolution;

  @Field(() => [GpuSeriesModel])
  series: GpuSeriesModel[];
}

@ObjectType('NodeGpuPoint')
export class NodeGpuPointModel {
  @Field()
  time: Date;

  @Field(() => Int)
  gpus: number;

  @Field(() => Float, { nullable: true, description: 'Mean over the node\'s GPUs of each GPU\'s bucket average.' })
  utilizationRatio: number | null;

  @Field(() => Float, { nullable: true })
  utilizationRatioMax: number | null;

  @Field(() => Float, { nullable: true, description: 'Sum over the GPUs of each GPU\'s bucket average.' })
  memoryUsedBytes: number | null;

  @Field(() => Float, { nullable: true })
  memoryTotalBytes: number | null;

  @Field(() => Float, { nullable: true, description: 'Sum over the GPUs of each GPU\'s average draw.' })
  powerDrawWatts: number | null;

  @Field(() => Float, { nullable: true })
  temperatureCelsiusMax: number | null;
}

@ObjectType('NodeGpuSeries')
export class NodeGpuSeriesModel {
  @Field()
  node: string;

  @Field()
  from: Date;

  @Field()
  to: Date;

  @Field(() => Int)
  bucketSeconds: number;

  @Field(() => GpuResolution)
  resolution: GpuResolution;

  @Field(() => [NodeGpuPointModel])
  points: NodeGpuPointModel[];
}

@ObjectType('IdleGpu')
export class IdleGpuModel {
  @Field()
  node: string;

  @Field()
  gpuUuid: string;

  @Field()
  migInstance: string;

  @Field(() => Int)
  gpuIndex: number;

  @Field()
  gpuName: string;

  @Field(() => Float)
  averageUtilizationRatio: number;

  @Field(() => Float, { nullable: true })
  maxUtilizationRatio: number | null;

  @Field(() => Float, { nullable: true })
  averagePowerDrawWatts: number | null;

  @Field(() => Float, { nullable: true })
  maxMemoryUsedBytes: number | null;

  @Field(() => Float)
  samples: number;

  @Field()
  firstSeen: Date;

  @Field()
  lastSeen: Date;
}

@ObjectType('IdleGpus')
export class IdleGpusModel {
  @Field()
  from: Date;

  @Field()
  to: Date;

  @Field(() => Float)
  belowUtilizationRatio: number;

  @Field(() => GpuResolution)
  resolution: GpuResolution;

  @Field(() => [IdleGpuModel], { description: 'Least used first.' })
  gpus: IdleGpuModel[];
}

@ObjectType('GpuHotSpot')
export class GpuHotSpotModel {
  @Field()
  node: string;

  @Field()
  gpuUuid: string;

  @Field()
  migInstance: string;

  @Field(() => Int)
  gpuIndex: number;

  @Field()
  gpuName: string;

  @Field(() => [String], { description: 'Why it is listed: TEMPERATURE, THROTTLING, ECC.' })
  reasons: string[];

  @Field(() => Float, { nullable: true })
  maxTemperatureCelsius: number | null;

  @Field(() => Float, { nullable: true })
  averageTemperatureCelsius: number | null;

  @Field(() => [String], { description: 'Throttling reasons seen in the range (idle clocks and clock settings left out).' })
  throttleReasons: string[];

  @Field(() => Float, { description: 'Samples with a throttling reason active.' })
  throttledSamples: number;

  @Field(() => Float)
  samples: number;

  @Field(() => Float, { nullable: true, description: 'Rise of the lifetime ECC error count within the range.' })
  newEccErrors: number | null;

  @Field(() => Float, { nullable: true })
  eccErrorsTotal: number | null;

  @Field()
  lastSeen: Date;
}

@ObjectType('GpuHotSpots')
export class GpuHotSpotsModel {
  @Field()
  from: Date;

  @Field()
  to: Date;

  @Field(() => Float)
  temperatureAboveCelsius: number;

  @Field(() => GpuResolution)
  resolution: GpuResolution;

  @Field(() => [GpuHotSpotModel], { description: 'Hottest first.' })
  gpus: GpuHotSpotModel[];
}
