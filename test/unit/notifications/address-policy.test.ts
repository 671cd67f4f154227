/** SSRF protection: address classification, URL rules, and refusal before any connection is made. */
import { describe, expect, it } from 'vitest';
import {
  classifyAddress,
  isAllowedAddress,
  parseIPv6,
} from '../../../shared/notifications/address-policy.js';
import {
  pinnedLookup,
  postJson,
  type Resolver,
  urlProblem,
} from '../../../shared/notifications/http-client.js';

describe('classifyAddress', () => {
  const table: [string, string][] = [
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['203.0.113.9', 'documentation'],
    // IPv6
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fd00:ec2::254', 'metadata'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'reserved'],
    ['fec0::1', 'private'],
    ['::127.0.0.1', 'reserved'],
    // IPv4-mapped IPv6, in dotted and hex notation, judged by the IPv4 address
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:0001', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:192.168.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    // NAT64 and 6to4 carry an IPv4 address too
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::808:808', 'public'],
    ['64:ff9b:1::1', 'private'],
    ['2002:a00:1::1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:808:808::1', 'public'],
    // not an address
    ['example.com', 'invalid'],
    ['', 'invalid'],
    ['1.2.3', 'invalid'],
  ];
  for (const [address, expected] of table) {
    it(`${address || '(empty)'} is ${expected}`, () => {
      expect(classifyAddress(address)).toBe(expected);
    });
  }

  it('parses IPv6 forms to the same bytes', () => {
    expect(parseIPv6('::ffff:127.0.0.1')).toEqual(parseIPv6('::ffff:7f00:1'));
    expect(parseIPv6('1::')).toEqual(parseIPv6('1:0:0:0:0:0:0:0'));
  });

  it('allows only public addresses, plus loopback when local development asks', () => {
    expect(isAllowedAddress('8.8.8.8', { allowLoopback: false })).toBe(true);
    expect(isAllowedAddress('127.0.0.1', { allowLoopback: false })).toBe(false);
    expect(isAllowedAddress('127.0.0.1', { allowLoopback: true })).toBe(true);
    expect(isAllowedAddress('::ffff:127.0.0.1', { allowLoopback: true })).toBe(true);
    for (const a of ['10.0.0.1', '169.254.169.254', '100.64.0.1', 'fd00::1', '::ffff:10.0.0.1']) {
      expect({ a, allowed: isAllowedAddress(a, { allowLoopback: true }) }).toEqual({ a, allowed: false });
    }
  });
});

describe('urlProblem (creation-time checks, no DNS)', () => {
  const strict = { allowLoopback: false };
  const local = { allowLoopback: true };

  it('accepts https URLs on public names and addresses', () => {
    expect(urlProblem('https://hooks.slack.com/services/T0/B0/x', strict)).toBeUndefined();
    expect(urlProblem('https://8.8.8.8/hook', strict)).toBeUndefined();
    expect(urlProblem('https://example.com:8443/hook?x=1', strict)).toBeUndefined();
  });

  it('refuses plain http, other schemes and credentials in the URL', () => {
    expect(urlProblem('http://example.com/hook', strict)).toMatch(/https/);
    expect(urlProblem('http://example.com/hook', local)).toMatch(/https/);
    expect(urlProblem('ftp://example.com/hook', strict)).toMatch(/https/);
    expect(urlProblem('https://user:pw@example.com/hook', strict)).toMatch(/credentials/);
    expect(urlProblem('not a url', strict)).toMatch(/valid/);
  });

  it('refuses internal address literals, in every notation the URL parser normalises', () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://localhost/',
      'https://api.localhost/',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/',
      'https://[::ffff:7f00:1]/',
      'https://[::ffff:169.254.169.254]/',
      'https://2130706433/',
      'https://0x7f.1/',
      'https://10.1.2.3/',
      'https://[fd00:ec2::254]/',
    ]) {
      expect({ url, problem: urlProblem(url, strict) }).toEqual({
        url,
        problem: expect.stringMatching(/not allowed/),
      });
    }
  });

  it('lets local development use http://127.0.0.1 and localhost, and nothing else private', () => {
    expect(urlProblem('http://127.0.0.1:4010/hook', local)).toBeUndefined();
    expect(urlProblem('http://localhost:4010/hook', local)).toBeUndefined();
    expect(urlProblem('http://[::1]:4010/hook', local)).toBeUndefined();
    expect(urlProblem('http://10.0.0.1/hook', local)).toMatch(/https/);
    expect(urlProblem('https://10.0.0.1/hook', local)).toMatch(/not allowed/);
  });
});

describe('postJson refuses before connecting', () => {
  const request = { url: 'https://hooks.example.com/x', headers: {}, body: '{}' };
  const resolver =
    (...addresses: string[]): Resolver =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('when the name resolves to a private address', async () => {
    const outcome = await postJson(request, {
      allowLoopback: false,
      timeoutMs: 1000,
      resolve: resolver('10.0.0.5'),
    });
    expect(outcome).toEqual({
      kind: 'blocked',
      reason: expect.stringMatching(/not allowed/),
      addressClass: 'private',
    });
  });

  it('when ANY of the answers is internal (mixed records)', async () => {
    const outcome = await postJson(request, {
      allowLoopback: false,
      timeoutMs: 1000,
      resolve: resolver('93.184.216.34', '169.254.169.254'),
    });
    expect(outcome).toMatchObject({ kind: 'blocked', addressClass: 'metadata' });
  });

  it('when the name resolves to IPv4-mapped loopback', async () => {
    const outcome = await postJson(request, {
      allowLoopback: false,
      timeoutMs: 1000,
      resolve: resolver('::ffff:127.0.0.1'),
    });
    expect(outcome).toMatchObject({ kind: 'blocked', addressClass: 'loopback' });
  });

  it('reports a DNS failure as an error outcome', async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
    };
    expect(await postJson(request, { allowLoopback: false, timeoutMs: 1000, resolve: failing })).toEqual({
      kind: 'error',
      code: 'ENOTFOUND',
    });
  });

  it('counts a resolver that never answers as a timeout', async () => {
    const never: Resolver = () => new Promise(() => {});
    expect(await postJson(request, { allowLoopback: false, timeoutMs: 30, resolve: never })).toEqual({
      kind: 'timeout',
    });
  });
});

describe('pinnedLookup (DNS rebinding)', () => {
  it('answers every lookup with the checked address, in both callback forms', () => {
    const lookup = pinnedLookup({ address: '93.184.216.34', family: 4 });
    const single: unknown[] = [];
    const all: unknown[] = [];
    lookup('hooks.example.com', {}, (...args: unknown[]) => single.push(...args));
    lookup('hooks.example.com', { all: true }, (...args: unknown[]) => all.push(...args));
    expect(single).toEqual([null, '93.184.216.34', 4]);
    expect(all).toEqual([null, [{ address: '93.184.216.34', family: 4 }]]);
  });

  it('resolves once per attempt: the answer checked is the answer used', async () => {
    let calls = 0;
    const resolve: Resolver = async () => {
      calls += 1;
      return [{ address: '10.0.0.9', family: 4 }];
    };
    await postJson(
      { url: 'https://rebind.example.com/', headers: {}, body: '{}' },
      { allowLoopback: false, timeoutMs: 500, resolve },
    );
    expect(calls).toBe(1);
  });
});
