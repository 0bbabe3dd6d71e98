import { Injectable } from '@nestjs/common';
import { NodeService } from '../nodes/nodes.service';
import { SpendDimension } from '../usage/models/spend.model';
import { UsageService } from '../usage/usage.service';
import { hourMs } from './gpu-records';
import type { GpuScope } from './gpu.repository';
import type { GpuFleetFilter } from './models/gpu-fleet.model';

/** Turns a fleet filter (nodes, kind, label, served model) into the node names it allows. */
@Injectable()
export class GpuScopeService {
  constructor(
    private readonly nodes: NodeService,
    private readonly usage: UsageService,
  ) {}

  /** The node names a filter allows; no `nodes` key when the filter allows every node. */
  async scopeOf(filter: GpuFleetFilter | undefined, at: Date): Promise<GpuScope> {
    if (!filter) return {};
    let allowed: Set<string> | undefined = filter.nodes ? new Set(filter.nodes) : undefined;
    const narrow = (names: Iterable<string>) => {
      const next = new Set(names);
      allowed = allowed ? new Set([...allowed].filter((name) => next.has(name))) : next;
    };
    if (filter.kind || filter.label) {
      const [labelKey, ...labelValue] = (filter.label ?? '').split('=');
      const registered = await this.nodes.findAll();
      narrow(
        registered
          .filter((node) => !filter.kind || node.kind === filter.kind)
          .filter((node) => !filter.label || (labelKey in node.labels && (labelValue.length === 0 || node.labels[labelKey] === labelValue.join('='))))
          .map((node) => node.name),
      );
    }
    if (filter.model) {
      const dayBefore = new Date(Math.floor(at.getTime() / hourMs) * hourMs - 23 * hourMs);
      const rows = await this.usage.spend(dayBefore, new Date(Math.ceil(at.getTime() / hourMs) * hourMs), [SpendDimension.NODE], { model: filter.model });
      narrow(rows.map((row) => row.node ?? '').filter((name) => name !== ''));
    }
    return allowed ? { nodes: [...allowed] } : {};
  }
}
