import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow } from '../../tenancy/access.decorators';
import { NodeModel } from '../models/node.model';
import type { NodeHeartbeatEntity } from './node-heartbeat.entity';
import { NodeAgentService, type AgentStatus } from './node-agent.service';
import { NodeEngineMetricsModel, NodeStatsModel } from './models/node-agent.model';

/** Per GraphQL request: every node's last heartbeat, read once however many nodes the answer lists. */
const heartbeatsOfRequest = new WeakMap<object, Promise<Map<string, NodeHeartbeatEntity>>>();

/**
 * What a node's agent reports, on the Node type (each field reads the request's one heartbeat load), and the node
 * statistics the SRE views read. Node fields: every role that lists nodes; statistics: admin and sre.
 */
@Resolver(() => NodeModel)
export class NodeAgentResolver {
  constructor(private readonly agents: NodeAgentService) {}

  private async statusOf(node: NodeModel, context: { req?: object }): Promise<AgentStatus> {
    const key = context.req ?? context;
    let loading = heartbeatsOfRequest.get(key);
    if (!loading) {
      loading = this.agents.allHeartbeats();
      heartbeatsOfRequest.set(key, loading);
    }
    return this.agents.agentStatus((await loading).get(node.id));
  }

  @Allow('nodes.read')
  @ResolveField(() => Date, { nullable: true, description: "When Warden last received the node agent's heartbeat; null if it never did." })
  async lastHeartbeatAt(@Parent() node: NodeModel, @Context() context: { req?: object }): Promise<Date | null> {
    return (await this.statusOf(node, context)).lastHeartbeatAt;
  }

  @Allow('nodes.read')
  @ResolveField(() => String, { nullable: true, description: 'warden-node-agent version of the last heartbeat.' })
  async agentVersion(@Parent() node: NodeModel, @Context() context: { req?: object }): Promise<string | null> {
    return (await this.statusOf(node, context)).agentVersion;
  }

  @Allow('nodes.read')
  @ResolveField(() => String, { nullable: true, description: 'Inference engine version of the last heartbeat (null when the engine did not say).' })
  async engineVersion(@Parent() node: NodeModel, @Context() context: { req?: object }): Promise<string | null> {
    return (await this.statusOf(node, context)).engineVersion;
  }

  @Allow('nodes.read')
  @ResolveField(() => String, { nullable: true, description: 'Engine kind the agent detected (vllm, tgi, llamacpp, ollama, openai-compatible).' })
  async engineKind(@Parent() node: NodeModel, @Context() context: { req?: object }): Promise<string | null> {
    return (await this.statusOf(node, context)).engineKind;
  }

  @Allow('nodes.read')
  @ResolveField(() => Boolean, { nullable: true, description: 'Whether the engine answered in the last heartbeat; null without one.' })
  async engineUp(@Parent() node: NodeModel, @Context() context: { req?: object }): Promise<boolean | null> {
    return (await this.statusOf(node, context)).engineUp;
  }

  @Allow('nodes.read')
  @ResolveField(() => String, { nullable: true, description: 'Why the engine was down at the last heartbeat, as the agent saw it; null when up.' })
  async engineError(@Parent() node: NodeModel, @Context() context: { req?: object }): Promise<string | null> {
    return (await this.statusOf(node, context)).engineError;
  }

  @Allow('nodes.read')
  @ResolveField(() => Boolean, {
    description: 'The agent heartbeated once and not within WARDEN_AGENT_SILENT_AFTER_SECONDS (default 90); false for a node that never had an agent.',
  })
  async agentSilent(@Parent() node: NodeModel, @Context() context: { req?: object }): Promise<boolean> {
    return (await this.statusOf(node, context)).agentSilent;
  }

  @Allow('nodes.read')
  @ResolveField(() => [String], { description: 'Models the engine served at the last heartbeat; empty without one.' })
  async servedModels(@Parent() node: NodeModel, @Context() context: { req?: object }): Promise<string[]> {
    return (await this.statusOf(node, context)).servedModels;
  }

  @Allow('nodeStats.read')
  @Query(() => NodeStatsModel, { description: 'Requests, rate, error rate, latency and TTFT percentiles of one node over [from, to) (at most 93 days).' })
  nodeStats(@Args('node') node: string, @Args('from') from: Date, @Args('to') to: Date): Promise<NodeStatsModel> {
    return this.agents.nodeStats(node, from, to);
  }

  @Allow('nodeStats.read')
  @Query(() => [NodeStatsModel], { description: 'nodeStats of these nodes (every node that served requests when none given), for the node list.' })
  nodesStats(@Args('from') from: Date, @Args('to') to: Date, @Args('nodes', { type: () => [String], nullable: true }) nodes?: string[]): Promise<NodeStatsModel[]> {
    return this.agents.nodesStats(nodes ?? [], from, to);
  }

  @Allow('nodeStats.read')
  @Query(() => NodeEngineMetricsModel, { description: "Queue depth, KV-cache use, tokens/s and TTFT the node's agent reported over [from, to) (at most 93 days)." })
  nodeEngineMetrics(@Args('node') node: string, @Args('from') from: Date, @Args('to') to: Date): Promise<NodeEngineMetricsModel> {
    return this.agents.engineMetrics(node, from, to);
  }
}
