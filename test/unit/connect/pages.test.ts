/** The connect page's markup: values escaped, secrets never echoed, errors tied to their fields. */
import { describe, expect, it } from 'vitest';
import { providerForm } from '../../../shared/connect/forms.js';
import { securityHeaders } from '../../../shared/connect/html.js';
import { connectedPage, formPage } from '../../../shared/connect/pages.js';

const greenhouse = providerForm('greenhouse')!;

describe('connect pages', () => {
  it('escapes what the customer typed', () => {
    const page = formPage('t', greenhouse, { canChoose: true, values: { clientId: '"><script>x</script>' } });

    expect(page.html).not.toContain('<script>');
  });

  it('never sends a typed secret back', () => {
    const page = formPage('t', greenhouse, { canChoose: true, values: { clientSecret: 'hunter2-secret' } });

    expect(page.html).not.toContain('hunter2-secret');
  });

  it('ties a field error to its input', () => {
    const page = formPage('t', greenhouse, { canChoose: false, fieldErrors: { clientId: 'required' } }, 422);

    expect(page.html).toMatch(
      /id="f-clientId"[^>]*aria-describedby="f-clientId-error"[^>]*aria-invalid="true"/,
    );
  });

  it('escapes the redirect URL of the continue link', () => {
    const page = connectedPage({
      title: 'Ashby',
      webhookUrl: null,
      webhookSecret: undefined,
      redirectUrl: 'https://hub.example.com/console?a=1&b="2"',
    });

    expect(page.html).toContain('href="https://hub.example.com/console?a=1&amp;b=&quot;2&quot;"');
  });

  it('lets forms lead only to this origin and the named consent origins', () => {
    expect(securityHeaders(['https://auth.lever.co'])['content-security-policy']).toContain(
      "form-action 'self' https://auth.lever.co;",
    );
  });
});
