import { toView } from './operation-views';
import { CaOperation } from './schemas/ca-operation.schema';

describe(toView.name, () => {
  const base: CaOperation = {
    operationId: 'g1',
    handleHash: 'h'.repeat(64),
    type: 'seal',
    provider: 'anhui',
    status: 'PENDING',
    qrCode: '{"guid":"g1"}',
    round: 2,
    documentHash: 'ab'.repeat(32),
    plaintext: 'never shown',
    nextPollAt: new Date(0),
    expiresAt: new Date('2026-01-01T00:05:00Z'),
  };

  it('shows a pending operation without internals (hash, round, plaintext, lease)', () => {
    expect(toView(base, 'H1')).toEqual({
      operationId: 'H1',
      type: 'seal',
      status: 'PENDING',
      qrCode: '{"guid":"g1"}',
      expiresAt: '2026-01-01T00:05:00.000Z',
    });
  });

  it('shows the result of a finished operation and who revoked it', () => {
    const view = toView(
      {
        ...base,
        status: 'FINISH',
        result: { signature: 'MII', seal: { name: 's', image: 'i' } },
        revokedAt: new Date('2026-01-01T00:10:00Z'),
        revokedBy: 'g2',
      },
      'H1',
    );
    expect(view).toMatchObject({
      status: 'FINISH',
      result: { signature: 'MII' },
      revokedAt: '2026-01-01T00:10:00.000Z',
      revokedBy: 'g2',
    });
  });

  it('shows the failure, and no result, of a failed operation', () => {
    const view = toView(
      {
        ...base,
        type: 'unseal',
        sealOperationId: 'g0',
        status: 'FAILED',
        failure: { type: 'NOT_THE_SEALER', reason: 'r' },
      },
      'H1',
    );
    expect(view).toMatchObject({
      status: 'FAILED',
      failure: { type: 'NOT_THE_SEALER', reason: 'r' },
      sealOperationId: 'g0',
    });
    expect(view).not.toHaveProperty('result');
  });
});
