import { SetMetadata } from '@nestjs/common';

export const auditedByHandlerKey = 'warden:audited-by-handler';

/**
 * The handler (or the service it calls) records its own, richer audit entry (with before/after), so the mutation
 * interceptor does not add a generic `graphql.<mutation>` entry for it.
 */
export const AuditedByHandler = () => SetMetadata(auditedByHandlerKey, true);
