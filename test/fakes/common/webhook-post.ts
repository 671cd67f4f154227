/** Posts exact bytes to a receiver, as a provider's webhook sender does; status 0 means no HTTP answer. */
export interface PostOutcome {
  status: number;
  body: string;
}

export async function postRawBytes(
  targetUrl: string,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs = 10_000,
): Promise<PostOutcome> {
  try {
    const response = await fetch(targetUrl, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } catch {
    return { status: 0, body: '' };
  }
}
