import { Controller, Delete, Get, HttpCode, Param, Put, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { readRequestBody } from '../../engine/http/request-body';
import { auditActorOf } from '../audit/audit-actor';
import { AllowOrApiKey, CurrentApiKey, CurrentSession } from '../tenancy/access.decorators';
import type { ApiKeyPrincipal, UserSession } from '../tenancy/principals';
import { PoliciesService, type PolicyActor, type PolicyVersionView } from './policies.service';

/** Policy documents are small; this bounds what one write may send. */
const MAX_POLICY_BODY_BYTES = 1024 * 1024;
const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/** Who is writing, as each version records it. */
export function actorOf(session: UserSession | undefined, apiKey: ApiKeyPrincipal | undefined): PolicyActor {
  if (session) return session.email;
  if (apiKey) return `key:${apiKey.name}`;
  throw new DomainError(ErrorCode.Unauthenticated, 'Sign in, or send an API key with scope admin');
}

/**
 * Policies as code over HTTP: `PUT /api/v1/policies/{name}` writes a document (JSON, or YAML with a YAML content
 * type) as the policy's next version; `GET` reads the current one or `?version=N`. Writes: an admin session or an
 * `admin`-scoped key; reads: also compliance.
 */
@Controller('api/v1/policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @AllowOrApiKey('policies.write', 'admin')
  @Put(':name')
  @HttpCode(200)
  async put(
    @Param('name') name: string,
    @Req() request: Request,
    @CurrentSession() session?: UserSession,
    @CurrentApiKey() apiKey?: ApiKeyPrincipal,
  ): Promise<{ name: string; version: number }> {
    const body = await readRequestBody(request, MAX_POLICY_BODY_BYTES);
    if (JSON_CONTENT_TYPE.test(String(request.headers['content-type'] ?? ''))) {
      try {
        JSON.parse(body);
      } catch (error) {
        throw new DomainError(ErrorCode.MalformedPayload, `Malformed JSON: ${(error as Error).message}`);
      }
    }
    // JSON and YAML both go through the YAML reader, which keeps limits exact and refuses duplicate keys.
    const written = await this.policies.put(body, actorOf(session, apiKey), { expectedName: name, auditActor: auditActorOf(session ?? apiKey) });
    return { name: written.name, version: written.version };
  }

  @AllowOrApiKey('policies.read', 'admin')
  @Get()
  async list(): Promise<{ policies: PolicyVersionView[] }> {
    const { rows } = await this.policies.list({ page: 0, perPage: 1000, sortField: 'name', sortOrder: 'ASC' });
    return { policies: rows.map((policy) => ({ name: policy.name, version: policy.version, document: policy.document, deleted: false, createdAt: policy.updatedAt, createdBy: policy.updatedBy })) };
  }

  @AllowOrApiKey('policies.read', 'admin')
  @Get(':name')
  get(@Param('name') name: string, @Query('version') version?: string): Promise<PolicyVersionView> {
    if (version === undefined) return this.policies.get(name);
    if (!/^[1-9]\d{0,8}$/.test(version)) {
      throw new DomainError(ErrorCode.Validation, `version must be a whole number from 1, got ${JSON.stringify(version)}`, {
        problems: [{ field: 'version', message: 'must be a whole number from 1' }],
      });
    }
    return this.policies.get(name, Number(version));
  }

  @AllowOrApiKey('policies.write', 'admin')
  @Delete(':name')
  @HttpCode(200)
  async delete(@Param('name') name: string, @CurrentSession() session?: UserSession, @CurrentApiKey() apiKey?: ApiKeyPrincipal): Promise<{ name: string; version: number; deleted: true }> {
    const written = await this.policies.delete(name, actorOf(session, apiKey), { auditActor: auditActorOf(session ?? apiKey) });
    return { name: written.name, version: written.version, deleted: true };
  }
}
