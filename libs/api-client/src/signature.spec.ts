import { signRequest, SIGNATURE_HEADERS, verifySignature } from './signature';

const body = JSON.stringify({ status: 'done' });
const now = Date.UTC(2026, 0, 1);

describe('callback signatures', () => {
  it('verifies a request signed with the same secret', async () => {
    const headers = await signRequest('s3cret', body, { now });
    await expect(verifySignature(['s3cret'], { ...headers }, body, now)).resolves.toEqual({
      ok: true,
    });
  });

  it('accepts the previous secret while a rotation is under way', async () => {
    const headers = await signRequest('old', body, { now });
    await expect(verifySignature(['new', 'old'], { ...headers }, body, now)).resolves.toEqual({
      ok: true,
    });
  });

  it("rejects a request signed with another worker's secret", async () => {
    const headers = await signRequest('tags-secret', body, { now });
    await expect(verifySignature(['thumbnail-secret'], { ...headers }, body, now)).resolves.toEqual(
      {
        ok: false,
        reason: 'signature does not match',
      },
    );
  });

  it('rejects a body changed after signing', async () => {
    const headers = await signRequest('s3cret', body, { now });
    const result = await verifySignature(
      ['s3cret'],
      { ...headers },
      body.replace('done', 'failed'),
      now,
    );
    expect(result.ok).toBe(false);
  });

  it('rejects a replay older than five minutes, and one from the future', async () => {
    const headers = await signRequest('s3cret', body, { now });
    const late = await verifySignature(['s3cret'], { ...headers }, body, now + 301_000);
    const early = await verifySignature(['s3cret'], { ...headers }, body, now - 301_000);
    expect(late).toEqual({ ok: false, reason: 'timestamp outside the tolerance' });
    expect(early).toEqual({ ok: false, reason: 'timestamp outside the tolerance' });
  });

  it('binds the request id into the signature', async () => {
    const headers = await signRequest('s3cret', body, { now, id: 'a' });
    const result = await verifySignature(
      ['s3cret'],
      { ...headers, [SIGNATURE_HEADERS.id]: 'b' },
      body,
      now,
    );
    expect(result.ok).toBe(false);
  });

  it.each([
    ['no headers at all', {}, 'missing signature headers'],
    ['a malformed signature', { [SIGNATURE_HEADERS.signature]: 'v1=zz' }, 'malformed signature'],
    ['an unknown scheme', { [SIGNATURE_HEADERS.signature]: 'v2=abcd' }, 'malformed signature'],
    ['a non-numeric timestamp', { [SIGNATURE_HEADERS.timestamp]: 'soon' }, 'bad timestamp'],
  ])('rejects %s with a reason', async (_, override, reason) => {
    const headers =
      override && Object.keys(override).length
        ? { ...(await signRequest('s3cret', body, { now })), ...override }
        : {};
    await expect(verifySignature(['s3cret'], headers, body, now)).resolves.toEqual({
      ok: false,
      reason,
    });
  });
});
