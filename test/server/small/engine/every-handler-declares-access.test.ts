import 'reflect-metadata';
import type { ExecutionContext } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, NestFactory, Reflector, type ModulesContainer } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../../../../server/src/app.module';
import { AccessGuard } from '../../../../server/src/engine/auth/access.guard';
import type { AccessPort } from '../../../../server/src/engine/auth/access-port';
import { accessDeclarationKey, type AccessDeclaration } from '../../../../server/src/engine/auth/auth.decorators';
import { SessionAuthenticator } from '../../../../server/src/engine/auth/request-principal';
import { SessionTokens } from '../../../../server/src/engine/auth/session-tokens';
import { loadConfig } from '../../../../server/src/engine/config/config';
import type { Engines } from '../../../../server/src/engine/engines';
import { DomainError, ErrorCode } from '../../../../server/src/engine/errors/domain-error';
import { apiKeyScopes } from '../../../../server/src/modules/tenancy/api-key.entity';
import { allRoles } from '../../../../server/src/modules/tenancy/roles';

// Deny by default, checked on the real module graph: every controller route and every GraphQL resolver Nest
// discovers must declare its access on the handler itself. The table below is the reviewed contract; a new handler
// fails this test until it declares access and is added here.
const everyRole = [...allRoles].sort().join(',');
const expectedAccess: Record<string, string> = {
  'HealthController.alive': 'public',
  'HealthController.ready': 'public',
  'HealthController.metrics': 'public',
  'AuthController.login': 'public',
  'AuthController.logout': `roles:${everyRole}`,
  'IngestController.requests': 'api-key:ingest',
  'GpuController.gpuSamples': 'api-key:ingest',
  'GpuResolver.gpuFleet': 'roles:admin,sre',
  'GpuResolver.gpuSeries': 'roles:admin,sre',
  'GpuResolver.nodeGpuSeries': 'roles:admin,sre',
  'GpuResolver.idleGpus': 'roles:admin,sre',
  'GpuResolver.gpuHotSpots': 'roles:admin,sre',
  'GpuResolver.onPremCost': 'roles:admin,finance,sre',
  'NodeResolver.allNodes': `roles:${everyRole}`,
  'NodeResolver._allNodesMeta': `roles:${everyRole}`,
  'NodeResolver.Node': `roles:${everyRole}`,
  'NodeResolver.createNode': 'roles:admin',
  'NodeResolver.updateNode': 'roles:admin',
  'CostRecomputeResolver.recomputeCosts': 'roles:admin,finance',
  'JobsResolver.job': `roles:${everyRole}`,
  'NodeResolver.deleteNode': 'roles:admin',
  'NodeResolver.nodeRateVersions': `roles:${everyRole}`,
  'PricingResolver.allPrices': `roles:${everyRole}`,
  'PricingResolver._allPricesMeta': `roles:${everyRole}`,
  'PricingResolver.Price': `roles:${everyRole}`,
  'PricingResolver.priceVersions': `roles:${everyRole}`,
  'PricingResolver.createPrice': 'roles:admin,finance',
  'PricingResolver.updatePrice': 'roles:admin,finance',
  'PricingResolver.deletePrice': 'roles:admin,finance',
  'PricingResolver.importPrices': 'roles:admin,finance',
  'SpendResolver.spend': 'roles:admin,finance,viewer',
  'SpendResolver.unpricedModels': 'roles:admin,finance,viewer',
  'UsageResolver.allRequests': `roles:${everyRole}`,
  'UsageResolver._allRequestsMeta': `roles:${everyRole}`,
  'UsageResolver.Request': `roles:${everyRole}`,
  'PoliciesController.put': 'roles:admin|api-key:admin',
  'PoliciesController.list': 'roles:admin,compliance|api-key:admin',
  'PoliciesController.get': 'roles:admin,compliance|api-key:admin',
  'PoliciesController.delete': 'roles:admin|api-key:admin',
  'DecisionsController.authorize': 'api-key:authorize',
  'DecisionsController.usage': 'api-key:authorize',
  'DecisionsController.redact': 'roles:admin,compliance|api-key:admin',
  'PoliciesResolver.allPolicies': 'roles:admin,compliance',
  'PoliciesResolver._allPoliciesMeta': 'roles:admin,compliance',
  'PoliciesResolver.Policy': 'roles:admin,compliance',
  'PoliciesResolver.versions': 'roles:admin,compliance',
  'PoliciesResolver.policyVersion': 'roles:admin,compliance',
  'PoliciesResolver.validatePolicy': 'roles:admin,compliance',
  'PoliciesResolver.redactText': 'roles:admin,compliance',
  'PoliciesResolver.tryPolicy': 'roles:admin,compliance',
  'PoliciesResolver.createPolicy': 'roles:admin',
  'PoliciesResolver.updatePolicy': 'roles:admin',
  'PoliciesResolver.deletePolicy': 'roles:admin',
  'ScoresController.scoresBatch': 'api-key:ingest',
  'OtlpTracesController.traces': 'api-key:ingest',
  'ScoresResolver.createScore': 'roles:admin,compliance,sre',
  'ScoreDefinitionsResolver.allScoreDefinitions': `roles:${everyRole}`,
  'ScoreDefinitionsResolver._allScoreDefinitionsMeta': `roles:${everyRole}`,
  'ScoreDefinitionsResolver.ScoreDefinition': `roles:${everyRole}`,
  'ScoreDefinitionsResolver.createScoreDefinition': 'roles:admin',
  'ScoreDefinitionsResolver.updateScoreDefinition': 'roles:admin',
  'ScoreDefinitionsResolver.deleteScoreDefinition': 'roles:admin',
  'EvaluationsResolver.hallucinationRate': `roles:${everyRole}`,
  'EvaluationsResolver.scoreDistributions': `roles:${everyRole}`,
  'EvaluationsResolver.worstScoredRequests': `roles:${everyRole}`,
  'EvaluationsResolver.modelComparison': `roles:${everyRole}`,
  'EvaluationsResolver.request': `roles:${everyRole}`,
  'AuditResolver.allAuditEntries': 'roles:admin,compliance',
  'AuditResolver._allAuditEntriesMeta': 'roles:admin,compliance',
  'AuditResolver.AuditEntry': 'roles:admin,compliance',
  'AuditResolver.verifyAuditChain': 'roles:admin,compliance',
  // The node agent's handlers (from main; listed here as the code declares them, for their owner to review).
  'NodeAgentController.heartbeat': 'api-key:ingest',
  'NodeAgentController.policy': 'api-key:ingest',
  'NodeAgentResolver.agentSilent': `roles:${everyRole}`,
  'NodeAgentResolver.agentVersion': `roles:${everyRole}`,
  'NodeAgentResolver.engineError': `roles:${everyRole}`,
  'NodeAgentResolver.engineKind': `roles:${everyRole}`,
  'NodeAgentResolver.engineUp': `roles:${everyRole}`,
  'NodeAgentResolver.engineVersion': `roles:${everyRole}`,
  'NodeAgentResolver.lastHeartbeatAt': `roles:${everyRole}`,
  'NodeAgentResolver.nodeEngineMetrics': 'roles:admin,sre',
  'NodeAgentResolver.nodeStats': 'roles:admin,sre',
  'NodeAgentResolver.nodesStats': 'roles:admin,sre',
  'NodeAgentResolver.servedModels': `roles:${everyRole}`,
  'TeamsResolver.allTeams': 'roles:admin',
  'TeamsResolver._allTeamsMeta': 'roles:admin',
  'TeamsResolver.Team': 'roles:admin',
  'TeamsResolver.createTeam': 'roles:admin',
  'TeamsResolver.updateTeam': 'roles:admin',
  'TeamsResolver.deleteTeam': 'roles:admin',
  'UsersResolver.allUsers': 'roles:admin',
  'UsersResolver._allUsersMeta': 'roles:admin',
  'UsersResolver.User': 'roles:admin',
  'UsersResolver.createUser': 'roles:admin',
  'UsersResolver.updateUser': 'roles:admin',
  'UsersResolver.deactivateUser': 'roles:admin',
  'ApiKeysResolver.allApiKeys': 'roles:admin',
  'ApiKeysResolver._allApiKeysMeta': 'roles:admin',
  'ApiKeysResolver.ApiKey': 'roles:admin',
  'ApiKeysResolver.createApiKey': 'roles:admin',
  'ApiKeysResolver.revokeApiKey': 'roles:admin',
  'ChargebackResolver.teamBudgets': 'roles:admin,finance',
  'ChargebackResolver.createChargebackReport': 'roles:admin,finance',
  'ChargebackResolver.chargebackReport': 'roles:admin,finance',
  'ChargebackResolver.chargebackReports': 'roles:admin,finance',
  'ChargebackResolver.setInternalPrice': 'roles:admin,finance',
  'ChargebackController.download': 'roles:admin,finance',
  'AlertRulesResolver.allAlertRules': 'roles:admin,compliance,finance,sre',
  'AlertRulesResolver._allAlertRulesMeta': 'roles:admin,compliance,finance,sre',
  'AlertRulesResolver.AlertRule': 'roles:admin,compliance,finance,sre',
  'AlertRulesResolver.createAlertRule': 'roles:admin',
  'AlertRulesResolver.updateAlertRule': 'roles:admin',
  'AlertRulesResolver.deleteAlertRule': 'roles:admin',
  'AlertRulesResolver.evaluateAlertRules': 'roles:admin',
  'AlertChannelsResolver.allAlertChannels': 'roles:admin',
  'AlertChannelsResolver._allAlertChannelsMeta': 'roles:admin',
  'AlertChannelsResolver.AlertChannel': 'roles:admin',
  'AlertChannelsResolver.createAlertChannel': 'roles:admin',
  'AlertChannelsResolver.updateAlertChannel': 'roles:admin',
  'AlertChannelsResolver.deleteAlertChannel': 'roles:admin',
  'AlertChannelsResolver.testAlertChannel': 'roles:admin',
  'AlertsResolver.allAlerts': 'roles:admin,compliance,finance,sre',
  'AlertsResolver._allAlertsMeta': 'roles:admin,compliance,finance,sre',
  'AlertsResolver.Alert': 'roles:admin,compliance,finance,sre',
  'RetentionResolver.runRetentionSweep': 'roles:admin',
  'RetentionResolver.retentionStatus': 'roles:admin,compliance',
  'RetentionResolver.allLegalHolds': 'roles:admin,compliance',
  'RetentionResolver._allLegalHoldsMeta': 'roles:admin,compliance',
  'RetentionResolver.placeLegalHold': 'roles:admin,compliance',
  'RetentionResolver.releaseLegalHold': 'roles:admin,compliance',
  'ComplianceResolver.complianceView': 'roles:admin,compliance',
  'ComplianceResolver.decisions': 'roles:admin,compliance',
  'ComplianceResolver.personalData': 'roles:admin,compliance',
  'ComplianceResolver.locality': 'roles:admin,compliance',
  'ComplianceResolver.retention': 'roles:admin,compliance',
  'ComplianceResolver.auditChain': 'roles:admin,compliance',
  'ComplianceResolver.flaggedNodes': 'roles:admin,compliance',
  'ExportsResolver.createExport': 'roles:admin,compliance',
  'ExportsResolver.allExports': 'roles:admin,compliance',
  'ExportsResolver._allExportsMeta': 'roles:admin,compliance',
  'ExportsResolver.Export': 'roles:admin,compliance',
  'ExportsController.download': 'roles:admin,compliance',
};

function describeDeclaration(declaration: AccessDeclaration | undefined): string {
  if (!declaration) return 'none';
  if (declaration.kind === 'public') return 'public';
  if (declaration.kind === 'api-key') return `api-key:${declaration.scope}`;
  if (declaration.kind === 'session-or-api-key') return `roles:${[...declaration.roles].sort().join(',')}|api-key:${declaration.scope}`;
  return `roles:${[...declaration.roles].sort().join(',')}`;
}

type HandlerClass = abstract new (...args: never[]) => unknown;

interface Handler {
  label: string;
  method: object;
  declaration: AccessDeclaration | undefined;
}

/** Every route and resolver of the HTTP app, found as Nest finds them: controllers' routes, providers' resolver methods. */
async function discoverHandlers(): Promise<Handler[]> {
  const engines = { config: loadConfig({}), secret: 'a-test-signing-secret-of-32-characters!' } as unknown as Engines;
  // Preview mode builds the module graph without instantiating anything, so no engine is started.
  const app = await NestFactory.createApplicationContext(AppModule.forHttp(engines), { preview: true, logger: false });
  try {
    const modules = (app as unknown as { container: { getModules(): ModulesContainer } }).container.getModules();
    const discovery = new DiscoveryService(modules);
    const scanner = new MetadataScanner();
    const handlers: Handler[] = [];
    const collect = (metatype: HandlerClass, isHandler: (method: object) => boolean) => {
      const prototype = metatype.prototype as Record<string, object>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const method = prototype[name];
        if (!isHandler(method)) continue;
        handlers.push({ label: `${metatype.name}.${name}`, method, declaration: Reflect.getMetadata(accessDeclarationKey, method) as AccessDeclaration | undefined });
      }
    };
    for (const wrapper of discovery.getControllers()) {
      if (wrapper.metatype) collect(wrapper.metatype as HandlerClass, (method) => Reflect.getMetadata(PATH_METADATA, method) !== undefined);
    }
    for (const wrapper of discovery.getProviders()) {
      const metatype = wrapper.metatype as HandlerClass | null;
      if (!metatype?.prototype) continue;
      // What @nestjs/graphql's explorer treats as a resolver: Query, Mutation, Subscription or a field resolver.
      collect(metatype, (method) => Reflect.getMetadata('graphql:resolver_type', method) !== undefined || Reflect.getMetadata('graphql:resolve_property', method) === true);
    }
    return handlers;
  } finally {
    await app.close();
  }
}

describe('every handler declares its access', () => {
  let handlers: Handler[];
  beforeAll(async () => {
    handlers = await discoverHandlers();
  });
  afterAll(() => undefined);

  it('finds the routes and resolvers of every feature module', () => {
    const classes = new Set(handlers.map((handler) => handler.label.split('.')[0]));
    // Discovery found a handler class for every class the reviewed table names (and no class the table lacks).
    const reviewed = new Set(Object.keys(expectedAccess).map((label) => label.split('.')[0]));
    expect([...classes].sort()).toEqual([...reviewed].sort());
    expect(classes.size).toBeGreaterThanOrEqual(10);
  });

  it('declares access on each handler itself: @Public(), @Allow(operation) or an API key', () => {
    const undeclared = handlers.filter((handler) => !handler.declaration).map((handler) => handler.label);
    expect(undeclared, 'handlers without an access declaration (the guard refuses them)').toEqual([]);
  });

  it('names only real roles and API-key scopes', () => {
    for (const { label, declaration } of handlers) {
      if (declaration?.kind === 'session' || declaration?.kind === 'session-or-api-key') {
        expect(declaration.roles.length, label).toBeGreaterThan(0);
        for (const role of declaration.roles) expect(allRoles, `${label} names the unknown role ${role}`).toContain(role);
      }
      if (declaration?.kind === 'api-key' || declaration?.kind === 'session-or-api-key') expect(apiKeyScopes as readonly string[], label).toContain(declaration.scope);
    }
  });

  it('matches the reviewed access table, public handlers included', () => {
    const actual = Object.fromEntries(handlers.map((handler) => [handler.label, describeDeclaration(handler.declaration)]));
    expect(actual).toEqual(expectedAccess);
  });
});

describe('the global AccessGuard', () => {
  const portThatMustNotBeAsked: AccessPort = {
    resolveSession: () => Promise.reject(new Error('asked for a session')),
    resolveApiKey: () => Promise.reject(new Error('asked for an API key')),
    permits: () => {
      throw new Error('asked for a permission');
    },
  };
  const guard = new AccessGuard(new Reflector(), new SessionAuthenticator(new SessionTokens('a-test-signing-secret-of-32-characters!'), portThatMustNotBeAsked), portThatMustNotBeAsked);

  class SomeController {
    undeclared(): void {}
  }
  const contextFor = (handler: (...args: never[]) => unknown, authorization?: string) =>
    ({
      getHandler: () => handler,
      getClass: () => SomeController,
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => ({ headers: authorization ? { authorization } : {} }) }),
    }) as unknown as ExecutionContext;

  it('refuses a handler that declares nothing, whatever the caller sends, without asking who they are', async () => {
    for (const authorization of [undefined, 'Bearer anything']) {
      const refusal = await guard.canActivate(contextFor(SomeController.prototype.undeclared, authorization)).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(DomainError);
      expect((refusal as DomainError).code).toBe(ErrorCode.Forbidden);
    }
  });

  it('refuses a session handler when no token is sent, before any lookup', async () => {
    const handler = function declared() {};
    Reflect.defineMetadata(accessDeclarationKey, { kind: 'session', roles: ['admin'] }, handler);
    const refusal = await guard.canActivate(contextFor(handler)).catch((error: unknown) => error);
    expect((refusal as DomainError).code).toBe(ErrorCode.Unauthenticated);
  });
});
