/** The connect link's token, OAuth `state` and PKCE verifier (RFC 7636, S256); only hashes are looked up. */
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: the capability in a connect link's URL or an OAuth `state`. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** What the database stores and looks up: SHA-256, hex. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** 48 random bytes, base64url: 64 characters of the RFC 7636 alphabet. */
export const newCodeVerifier = (): string => randomBytes(48).toString('base64url');

export const codeChallengeS256 = (verifier: string): string =>
  createHash('sha256').update(verifier, 'ascii').digest('base64url');
