import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { mergeMap, type Observable } from 'rxjs';
import { requestOf } from '../../engine/auth/request-principal';
import { auditActorOf } from './audit-actor';
import { auditedByHandlerKey } from './audited-by-handler.decorator';
import { AuditService } from './audit.service';

/** Argument names whose values never reach the audit log (at any depth). */
const SECRET_NAME = /pass(word|phrase)?|secret|token|api_?key|credential|authorization|private_?key|cookie/i;
export const REDACTED = '[REDACTED]';

/** The arguments as recorded: every value under a secret-looking name replaced. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (value instanceof Date) return value;
  const redacted: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) redacted[key] = SECRET_NAME.test(key) ? REDACTED : redactSecrets(inner, depth + 1);
  return redacted;
}

function teamOf(args: Record<string, unknown>): string | null {
  if (typeof args.team === 'string') return args.team;
  for (const inner of Object.values(args)) {
    if (inner && typeof inner === 'object' && typeof (inner as { team?: unknown }).team === 'string') return (inner as { team: string }).team;
  }
  return null;
}

function idOf(result: unknown): string | null {
  if (!result || typeof result !== 'object') return null;
  const id = (result as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

/** The object type a field returns, lists and non-nulls unwrapped (by shape: Nest and tests may load graphql twice). */
function namedTypeOf(type: unknown): string | null {
  let current = type as { ofType?: unknown; name?: string } | undefined;
  while (current && current.ofType) current = current.ofType as { ofType?: unknown; name?: string };
  return current?.name ?? null;
}

/**
 * Records every successful GraphQL mutation as `graphql.<mutationName>`: who (the request's principal), the
 * arguments with secrets redacted, and the target (the returned object's type and id). The answer waits for the
 * row, so nothing is answered that the log does not hold. Handlers that record a richer entry themselves (with
 * before/after) say so with @AuditedByHandler(). A failed mutation changed nothing and is not recorded here.
 */
@Injectable()
export class MutationAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<GqlContextType>() !== 'graphql') return next.handle();
    const graphqlContext = GqlExecutionContext.create(context);
    const info = graphqlContext.getInfo<GraphQLResolveInfo>();
    if (info.operation.operation !== 'mutation' || info.parentType.name !== info.schema.getMutationType()?.name) return next.handle();
    if (this.reflector.getAllAndOverride<boolean>(auditedByHandlerKey, [context.getHandler(), context.getClass()])) return next.handle();
    const args = graphqlContext.getArgs<Record<string, unknown>>();
    const who = auditActorOf(requestOf(context).principal);
    return next.handle().pipe(
      mergeMap(async (result: unknown) => {
        await this.audit.record({
          action: `graphql.${info.fieldName}`,
          actor: who.actor,
          actorRole: who.actorRole,
          targetType: namedTypeOf(info.returnType),
          targetId: idOf(result) ?? (typeof args.id === 'string' ? args.id : null),
          team: teamOf(args),
          details: { mutation: info.fieldName, arguments: redactSecrets(args) },
        });
        return result;
      }),
    );
  }
}
