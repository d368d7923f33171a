import { describe, expect, it } from 'vitest';
import { runTamperDrill, TAMPERINGS } from './tamper-drill.js';
import { resolveTauPoBinary } from './tau-po-binary.js';

describe('tamper drill', () => {
  it('every tampering stays visible to audit verify, and no writing command exits 0 on it', async () => {
    const results = await runTamperDrill(resolveTauPoBinary());
    expect(results.map((r) => r.tampering)).toEqual(TAMPERINGS.map((t) => t.name));
    expect(results.filter((r) => r.violations.length > 0)).toEqual([]);
  }, 300_000);
});
