import type { MiddlewareObj } from '@middy/core';
import { DomainError } from '../../domain/errors.js';
import type { HttpEvent, HttpResponse, Principal } from '../types.js';
import { state } from './state.js';

export interface ApiKeyAuthenticator {
  /** The key's organization and role, or null for an unknown or revoked key. */
  authenticate(apiKey: string): Promise<Principal | null>;
}

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,200})\s*$/;

/** 401 for a missing or unknown key; 403 for a known key whose role may not call the route. */
export function authenticate(authenticator: ApiKeyAuthenticator): MiddlewareObj<HttpEvent, HttpResponse> {
  return {
    before: async (request) => {
      const s = state(request);
      const access = s.route?.access;
      if (access === undefined || access === 'public' || access === 'signature') {
        s.principal = null;
        return;
      }
      const header = request.event.headers?.authorization;
      const key = header ? BEARER.exec(header)?.[1] : undefined;
      if (!key) throw new DomainError('UNAUTHORIZED', 'missing or malformed bearer key');
      const principal = await authenticator.authenticate(key);
      if (!principal) throw new DomainError('UNAUTHORIZED', 'unknown API key');
      if (!access.includes(principal.role)) {
        throw new DomainError('FORBIDDEN', `role ${principal.role} may not call this route`);
      }
      s.principal = principal;
    },
  };
}
