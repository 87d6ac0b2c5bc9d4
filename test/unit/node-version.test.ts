import { describe, expect, it } from 'vitest';

describe('runtime', () => {
  it('runs on the Node the project brings (>= 22.19), not the machine Node 20', () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    expect(major * 100 + minor).toBeGreaterThanOrEqual(2219);
  });
});
