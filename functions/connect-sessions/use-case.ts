import type { Sql } from 'postgres';
import type { CreateConnectSessionBody } from '../../shared/api/connect.js';
import { SESSION_TTL_SECONDS } from '../../shared/connect/config.js';
import { allowedRedirectUrl } from '../../shared/connect/redirect.js';
import { insertSession } from '../../shared/connect/repository.js';
import { hashToken, newToken } from '../../shared/connect/tokens.js';
import { withTenant } from '../../shared/db/tenant.js';
import type { Principal } from '../../shared/http/types.js';
import { logger } from '../../shared/observability/logger.js';
import type { Clock } from '../../shared/ports/clock.js';

export interface ConnectSessionsDependencies {
  sql: Sql;
  clock: Clock;
  publicBaseUrl: string;
  /** Origins besides the hub's own that a link may return to (CONNECT_REDIRECT_ALLOWLIST). */
  redirectAllowlist: readonly string[];
}

/** POST /connect-sessions: the link carries a fresh token; only its hash is stored (docs/connect.md). */
export async function createConnectSession(
  deps: ConnectSessionsDependencies,
  principal: Principal,
  body: CreateConnectSessionBody,
) {
  const redirectUrl = allowedRedirectUrl(body.redirectUrl, {
    publicBaseUrl: deps.publicBaseUrl,
    allowlist: deps.redirectAllowlist,
  });
  const token = newToken();
  const expiresAt = new Date(deps.clock.now().getTime() + SESSION_TTL_SECONDS * 1000);
  await withTenant(deps.sql, principal.organizationId, principal.role, (tx) =>
    insertSession(tx, {
      organizationId: principal.organizationId,
      tokenHash: hashToken(token),
      provider: body.provider ?? null,
      redirectUrl,
      createdByKeyId: principal.keyId,
      expiresAt,
    }),
  );
  logger.info('connect link created', { provider: body.provider ?? null });
  return {
    url: `${deps.publicBaseUrl.replace(/\/+$/, '')}/connect/${token}`,
    expiresAt: expiresAt.toISOString(),
  };
}
