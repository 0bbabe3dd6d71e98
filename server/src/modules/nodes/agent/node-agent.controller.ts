import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { IngestKeyAuth } from '../../tenancy/access.decorators';
import { NodeAgentService, type HeartbeatAnswer } from './node-agent.service';

/** If-None-Match names this ETag: `*`, or one of a comma-separated list (weak comparison, as RFC 9110 says for GET). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/**
 * What warden-node-agent talks to (collectors/src/node-agent/node-report.ts is the contract), with an API key of
 * scope `ingest`. `{name}` is the node's name in Warden.
 */
@Controller('api/v1/nodes')
export class NodeAgentController {
  constructor(private readonly agents: NodeAgentService) {}

  /** One NodeHeartbeat: 200 stored (or already stored), 400 naming every bad field, 404 for an unknown node. */
  @IngestKeyAuth()
  @Post(':name/heartbeat')
  @HttpCode(200)
  heartbeat(@Param('name') name: string, @Body() body: unknown): Promise<HeartbeatAnswer> {
    return this.agents.recordHeartbeat(name, body);
  }

  /** The node's allowed models with a strong ETag; 304 without a body when If-None-Match names it. */
  @IngestKeyAuth()
  @Get(':name/policy')
  async policy(@Param('name') name: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() response: Response): Promise<void> {
    const { body, etag } = await this.agents.nodePolicy(name);
    response.setHeader('ETag', etag);
    // The agent must ask again every time: a cache in between would keep an old allow-list.
    response.setHeader('Cache-Control', 'no-cache');
    if (etagMatches(ifNoneMatch, etag)) {
      response.status(304).end();
      return;
    }
    response.status(200).type('application/json').send(body);
  }
}
