import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { bearerToken, requestOf } from '../../engine/auth/session.guard';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { ApiKeyEntity } from './api-key.entity';
import { TenancyService } from './tenancy.service';

/** Machines authenticate with an ingest API key as `Authorization: Bearer <key>`. */
@Injectable()
export class IngestKeyGuard implements CanActivate {
  constructor(private readonly tenancy: TenancyService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = requestOf(context) as ReturnType<typeof requestOf> & { apiKey?: ApiKeyEntity };
    const secret = bearerToken(request);
    if (!secret) throw new DomainError(ErrorCode.InvalidApiKey, 'Missing API key: send "Authorization: Bearer <ingest key>"');
    const key = await this.tenancy.verifyIngestKey(secret);
    if (!key) throw new DomainError(ErrorCode.InvalidApiKey, 'Invalid or revoked API key');
    request.apiKey = key;
    return true;
  }
}
