import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { GpuCostService } from '../gpu/gpu-cost.service';
import { NodeService } from '../nodes/nodes.service';
import type { PriceEntity } from '../pricing/price.entity';
import { PricingService } from '../pricing/pricing.service';

const hourMs = 3600_000;

/**
 * Internal prices: the measured on-prem cost per 1M input and output tokens of a model on a node over a window,
 * written to the catalog (source `measured`), so budgets and quotas in USD price self-hosted requests at ingest.
 */
@Injectable()
export class InternalPriceService {
  constructor(
    private readonly gpuCost: GpuCostService,
    private readonly nodes: NodeService,
    private readonly pricing: PricingService,
  ) {}

  async setInternalPrice(node: string, model: string, from: Date, to: Date | undefined, effectiveFrom: Date | undefined, now = new Date()): Promise<PriceEntity> {
    const problems: Array<{ field: string; message: string }> = [];
    const until = to ?? new Date(Math.floor(now.getTime() / hourMs) * hourMs);
    if (Number.isNaN(from.getTime())) problems.push({ field: 'from', message: 'must be a date' });
    else if (!(from < until)) problems.push({ field: to ? 'to' : 'from', message: to ? 'must be after from' : 'must be before the current hour' });
    if (effectiveFrom && Number.isNaN(effectiveFrom.getTime())) problems.push({ field: 'effectiveFrom', message: 'must be a date' });
    if (!model.trim()) problems.push({ field: 'model', message: 'is required' });
    if (problems.length > 0) throw new DomainError(ErrorCode.Validation, problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '), { problems });
    const registered = (await this.nodes.findAll()).some((candidate) => candidate.name === node);
    if (!registered) throw new DomainError(ErrorCode.NotFound, `node: no registered node named ${JSON.stringify(node)}`, { problems: [{ field: 'node', message: 'is not a registered node' }] });

    const cost = await this.gpuCost.onPremCost(from, until, 1, 4, []);
    const measured = cost.models.find((row) => row.node === node && row.model === model);
    if (!measured || (measured.usdPerMillionInputTokensExact === null && measured.usdPerMillionOutputTokensExact === null)) {
      throw new DomainError(ErrorCode.Validation, `model: node ${node} served no priced tokens of ${model} between ${from.toISOString()} and ${until.toISOString()}`, {
        problems: [{ field: 'model', message: 'no tokens served on this node in the window' }],
      });
    }
    return this.pricing.createMeasured(
      model,
      { inputPerMillionUsd: measured.usdPerMillionInputTokensExact ?? '0', outputPerMillionUsd: measured.usdPerMillionOutputTokensExact ?? '0', cachedInputPerMillionUsd: null },
      effectiveFrom ?? now,
      { node, from: cost.from, to: cost.to },
    );
  }
}
