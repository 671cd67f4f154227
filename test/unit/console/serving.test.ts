import { describe, expect, it } from 'vitest';
import { consoleResponse, SECURITY_HEADERS } from '../../../functions/console-web/use-case.js';

const assets = new Map([
  ['index.html', '<!doctype html>'],
  ['app.js', 'export {};'],
]);

describe('console-web answers', () => {
  it('answers /console with the page, not cached', () => {
    const res = consoleResponse(assets, undefined);
    expect([res.statusCode, res.headers?.['content-type'], res.headers?.['cache-control']]).toEqual([
      200,
      'text/html; charset=utf-8',
      'no-store',
    ]);
  });

  it('answers a script with its type and every security header', () => {
    const res = consoleResponse(assets, 'app.js');
    expect(res.headers).toMatchObject({
      ...SECURITY_HEADERS,
      'content-type': 'text/javascript; charset=utf-8',
    });
  });

  it('answers 404 for a file the build does not write', () => {
    expect(consoleResponse(assets, 'secrets.js').statusCode).toBe(404);
  });
});
