import { Args, Float, Int, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../tenancy/access.decorators';
import { GpuCostService } from './gpu-cost.service';
import { GpuFleetService } from './gpu-fleet.service';
import { GpuIdleHotSpotsService } from './gpu-idle-hot-spots.service';
import { GpuSeriesService } from './gpu-series.service';
import {
  GpuFleetFilter,
  GpuFleetModel,
  GpuHotSpotsModel,
  GpuSeriesAnswerModel,
  IdleGpusModel,
  NodeGpuSeriesModel,
} from './models/gpu-fleet.model';
import { OnPremCostModel } from './models/on-prem-cost.model';

/** GPU fleet analytics and GPU cost per token; every signed-in role reads them. */
@Resolver()
export class GpuResolver {
  constructor(
    private readonly fleet: GpuFleetService,
    private readonly series: GpuSeriesService,
    private readonly attention: GpuIdleHotSpotsService,
    private readonly cost: GpuCostService,
  ) {}

  @Allow('gpus.read')
  @Query(() => GpuFleetModel, { description: 'Every GPU seen in the 24 h before `at` (default now) with its latest state, and fleet totals.' })
  gpuFleet(
    @Args('at', { nullable: true }) at?: Date,
    @Args('staleAfterMinutes', { type: () => Int, nullable: true }) staleAfterMinutes?: number,
    @Args('idleBelowRatio', { type: () => Float, nullable: true }) idleBelowRatio?: number,
    @Args('hotAboveCelsius', { type: () => Float, nullable: true }) hotAboveCelsius?: number,
    @Args('filter', { nullable: true }) filter?: GpuFleetFilter,
  ): Promise<GpuFleetModel> {
    return this.fleet.fleet({
      at: at ?? new Date(),
      staleAfterMinutes: staleAfterMinutes ?? 5,
      idleBelowRatio: idleBelowRatio ?? 0.05,
      hotAboveCelsius: hotAboveCelsius ?? 85,
      filter,
    });
  }

  @Allow('gpus.read')
  @Query(() => GpuSeriesAnswerModel, { description: 'One series per GPU of `node` (or just `gpuUuid`); bucket size chosen from the range.' })
  gpuSeries(
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('node') node: string,
    @Args('gpuUuid', { nullable: true }) gpuUuid?: string,
  ): Promise<GpuSeriesAnswerModel> {
    return this.series.gpuSeries(from, to, node, gpuUuid ?? undefined);
  }

  @Allow('gpus.read')
  @Query(() => NodeGpuSeriesModel, { description: 'The node as a whole over its GPUs; bucket size chosen from the range.' })
  nodeGpuSeries(@Args('from') from: Date, @Args('to') to: Date, @Args('node') node: string): Promise<NodeGpuSeriesModel> {
    return this.series.nodeSeries(from, to, node);
  }

  @Allow('gpus.read')
  @Query(() => IdleGpusModel, { description: 'GPUs whose mean utilisation over the `hours` before `at` is under belowUtilizationRatio.' })
  idleGpus(
    @Args('at', { nullable: true }) at?: Date,
    @Args('hours', { type: () => Int, nullable: true }) hours?: number,
    @Args('belowUtilizationRatio', { type: () => Float, nullable: true }) belowUtilizationRatio?: number,
    @Args('filter', { nullable: true }) filter?: GpuFleetFilter,
  ): Promise<IdleGpusModel> {
    return this.attention.idleGpus(at ?? new Date(), hours ?? 24, belowUtilizationRatio ?? 0.05, filter);
  }

  @Allow('gpus.read')
  @Query(() => GpuHotSpotsModel, { description: 'GPUs over temperatureAboveCelsius, throttled, or gaining ECC errors in [from, to).' })
  gpuHotSpots(
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('temperatureAboveCelsius', { type: () => Float, nullable: true }) temperatureAboveCelsius?: number,
    @Args('filter', { nullable: true }) filter?: GpuFleetFilter,
  ): Promise<GpuHotSpotsModel> {
    return this.attention.hotSpots(from, to, temperatureAboveCelsius ?? 85, filter);
  }

  @Allow('onPremCost.read')
  @Query(() => OnPremCostModel, { description: 'GPU cost per token on the registered nodes over [from, to) (whole hours), next to hosted API prices.' })
  onPremCost(
    @Args('from') from: Date,
    @Args('to') to: Date,
    @Args('inputTokenWeight', { type: () => Float, nullable: true }) inputTokenWeight?: number,
    @Args('outputTokenWeight', { type: () => Float, nullable: true }) outputTokenWeight?: number,
    @Args('compareWith', { type: () => [String], nullable: true }) compareWith?: string[],
  ): Promise<OnPremCostModel> {
    return this.cost.onPremCost(from, to, inputTokenWeight ?? 1, outputTokenWeight ?? 4, compareWith ?? undefined);
  }
}
