/** Where a connect link may return to: this hub's origin or the allow-list, nothing else. */
import { describe, expect, it } from 'vitest';
import { parseAllowlist } from '../../../shared/connect/config.js';
import { allowedRedirectUrl } from '../../../shared/connect/redirect.js';

const options = { publicBaseUrl: 'https://hub.example.com/', allowlist: ['https://app.example.com'] };

describe('allowedRedirectUrl', () => {
  it('defaults to the console of this hub', () => {
    expect(allowedRedirectUrl(undefined, options)).toBe('https://hub.example.com/console');
  });

  it('keeps a URL on this hub with its path and query', () => {
    expect(allowedRedirectUrl('https://hub.example.com/console?tab=integrations', options)).toBe(
      'https://hub.example.com/console?tab=integrations',
    );
  });

  it('keeps a URL on an allow-listed origin', () => {
    expect(allowedRedirectUrl('https://app.example.com/ats', options)).toBe('https://app.example.com/ats');
  });

  it.each([
    'https://hub.example.com.evil.com/console',
    'http://hub.example.com/console',
    'https://hub.example.com:8443/console',
    '//evil.com/x',
    'javascript:alert(1)',
    'data:text/html,x',
    'https://user:pw@hub.example.com/console',
  ])('refuses %s', (url) => {
    expect(() => allowedRedirectUrl(url, options)).toThrow('redirectUrl is not allowed');
  });
});

describe('parseAllowlist', () => {
  it('keeps the origins of http(s) entries and drops anything else', () => {
    expect(
      parseAllowlist(' https://a.example.com/path , ftp://b.example.com, nonsense,http://127.0.0.1:5173 '),
    ).toEqual(['https://a.example.com', 'http://127.0.0.1:5173']);
  });
});
