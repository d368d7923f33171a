import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDemo } from './demo.js';
import { OPERATOR_PRINCIPAL } from './rbac-policy-fixture.js';
import { resolveTauPoBinary } from './tau-po-binary.js';
import { runTauPo } from './tau-po-process.js';

describe('demo', () => {
  it('tells the crashed-corrupt-primary story end to end', async () => {
    let output = '';
    const binary = resolveTauPoBinary();
    const code = await runDemo(binary, (text) => {
      output += text;
    });
    // The demo leaves its scenario for the reader to try; the test removes it.
    const scenarioRoot = /the scenario is still at (\S+)/.exec(output)?.[1];
    try {
      expect(scenarioRoot).toBeDefined();
      expect(code).toBe(0);
      expect(output).toMatch(/\$ tau-po doctor /);
      expect(output).toMatch(/\$ tau-po resume /);
      expect(output).toMatch(/"checkpoint_source": "fallback"/);
      expect(output).toMatch(/primary checkpoint load failed/);
      expect(output).toMatch(/\$ tau-po audit timeline /);

      // It ends with the command serving the demo's state dir with the dashboard, and a token of the store that command names.
      const invitation = /sign in as (\S+)\n {2}\S+ serve --listen 127\.0\.0\.1:7433 --state-dir (\S+) --rbac-policy \S+ --token-store (\S+)\nAccess token:\n {2}tpo_([0-9a-f]{12})_\S+\n$/.exec(output);
      expect(invitation).not.toBeNull();
      const [, principal, stateDir, tokenStore, tokenId] = invitation ?? [];
      expect(principal).toBe(OPERATOR_PRINCIPAL);
      expect(stateDir?.startsWith(scenarioRoot ?? '-')).toBe(true);
      const listed = await runTauPo(binary, ['token', 'list', '--json', '--token-store', tokenStore ?? '-']);
      expect(listed.exitCode).toBe(0);
      expect(listed.stdout).toContain(tokenId);
      expect(listed.stdout).toContain(OPERATOR_PRINCIPAL);
    } finally {
      if (scenarioRoot !== undefined) rmSync(scenarioRoot, { recursive: true, force: true });
    }
  }, 60_000);
});
