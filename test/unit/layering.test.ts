/** The layering of DESIGN §5: domain code in shared/ never reaches into a Lambda in functions/. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('layering', () => {
  it('has no import of functions/ anywhere in shared/', () => {
    const offenders = sources('shared').filter((file) =>
      /from\s+['"](#functions\/|(\.\.\/)+functions\/)|import\(\s*['"](#functions\/|(\.\.\/)+functions\/)/.test(
        readFileSync(file, 'utf8'),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the engine a thin dispatcher over the kinds', () => {
    expect(readFileSync('shared/sync/engine.ts', 'utf8').split('\n').length).toBeLessThan(80);
  });
});
