import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { AllowOrApiKey, ApiKeyAuth, CurrentApiKey } from '../tenancy/access.decorators';
import type { ApiKeyPrincipal } from '../tenancy/principals';
import { DecisionService } from './decision.service';
import type { AuthorizeAnswer, RedactAnswer, SettleAnswer } from './decisions/decision-answers';
import { readAuthorizeInput, readRedactInput, readSettleInput } from './dto/decision-inputs';

/**
 * The decision engine for other gateways (LiteLLM hooks, Envoy external authorization): authorize before a
 * request, report usage after it, preview redaction. A decision always answers 200; only a bad body (400) or a bad
 * key (401) does not.
 */
@Controller('api/v1')
export class DecisionsController {
  constructor(private readonly decisions: DecisionService) {}

  @ApiKeyAuth('authorize')
  @Post('authorize')
  @HttpCode(200)
  authorize(@Body() body: unknown, @CurrentApiKey() apiKey?: ApiKeyPrincipal): Promise<AuthorizeAnswer> {
    // A team key asks for its own team only; an organisation-level key names the team.
    return this.decisions.authorize(readAuthorizeInput(body), { source: 'http', keyId: apiKey?.keyId, keyTeam: apiKey?.team ?? undefined });
  }

  @ApiKeyAuth('authorize')
  @Post('usage')
  @HttpCode(200)
  usage(@Body() body: unknown): Promise<SettleAnswer> {
    return this.decisions.settle(readSettleInput(body));
  }

  @AllowOrApiKey('policies.read', 'admin')
  @Post('redact')
  @HttpCode(200)
  redact(@Body() body: unknown): Promise<RedactAnswer> {
    return this.decisions.redact(readRedactInput(body));
  }
}
