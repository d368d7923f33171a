import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDemo } from './demo.js';
import { resolveTauPoBinary } from './tau-po-binary.js';

describe('demo', () => {
  it('tells the crashed-corrupt-primary story end to end', async () => {
    let output = '';
    const code = await runDemo(resolveTauPoBinary(), (text) => {
      output += text;
    });
    // The demo leaves its scenario for the reader to try; the test removes it.
    const scenarioRoot = /the scenario is still at (\S+)/.exec(output)?.[1];
    if (scenarioRoot !== undefined) rmSync(scenarioRoot, { recursive: true, force: true });
    expect(scenarioRoot).toBeDefined();
    expect(code).toBe(0);
    expect(output).toMatch(/\$ tau-po doctor /);
    expect(output).toMatch(/\$ tau-po resume /);
    expect(output).toMatch(/"checkpoint_source": "fallback"/);
    expect(output).toMatch(/primary checkpoint load failed/);
    expect(output).toMatch(/\$ tau-po audit timeline /);
  }, 60_000);
});
