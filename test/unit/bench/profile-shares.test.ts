import { describe, expect, test } from 'vitest';
import { areaShares, areaTimes, type CpuProfile } from '../../../bench/profile-shares.ts';

const frame = (functionName: string, url = '') => ({ functionName, url });
const ROOT = 'file:///work/repo';

/** root → intacct-sim handler → fast-xml-parser → node:buffer; root → dynalite → node:crypto; idle. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 7, 8, 9] },
    { id: 2, callFrame: frame('query', `${ROOT}/local/intacct-sim/reads.ts`), children: [3] },
    { id: 3, callFrame: frame('parse', `${ROOT}/node_modules/fast-xml-parser/src/x.js`), children: [4] },
    { id: 4, callFrame: frame('copy', 'node:buffer') },
    { id: 5, callFrame: frame('put', `${ROOT}/node_modules/dynalite/db/index.js`), children: [6] },
    { id: 6, callFrame: frame('hash', 'node:internal/crypto/hash') },
    { id: 7, callFrame: frame('(idle)') },
    { id: 8, callFrame: frame('send', `${ROOT}/node_modules/@smithy/core/dist-cjs/index.js`) },
    { id: 9, callFrame: frame('runWorker', `${ROOT}/functions/worker/handler.ts`) },
  ],
  samples: [4, 3, 2, 6, 7, 7, 8, 9, 1],
  timeDeltas: [100, 100, 100, 200, 400, 400, 300, 50, 10],
};

describe('profile shares', () => {
  test('charges library and Node frames to the nearest caller with an area', () => {
    expect(Object.fromEntries(areaTimes(profile))).toEqual({
      simulators: 300,
      emulators: 200,
      idle: 800,
      'aws-sdk': 300,
      pipeline: 50,
      other: 10,
    });
  });

  test('gives shares of all time and of busy time, largest first', () => {
    const shares = areaShares(profile);
    expect(shares[0]).toMatchObject({ area: 'idle', busyShare: 0 });
    const sims = shares.find((s) => s.area === 'simulators');
    expect(sims?.share).toBeCloseTo(300 / 1660);
    expect(sims?.busyShare).toBeCloseTo(300 / 860);
  });
});
