import { describe, expect, it } from 'vitest';
import { tauPoChildEnvironment } from './child-environment.js';

describe('tauPoChildEnvironment', () => {
  it('drops control variables, failpoints and the CA bundle, keeps the rest', () => {
    const env = tauPoChildEnvironment(
      { PATH: '/bin', NODE_EXTRA_CA_CERTS: '/ca', TAU_PROMPT_OPTIMIZATION_CONTROL_JSON: 'true', TAU_PO_FAILPOINT: 'crash@1' },
      { TAU_PO_FAILPOINT: 'torn@2' },
    );
    expect(env).toEqual({ PATH: '/bin', TAU_PO_FAILPOINT: 'torn@2' });
  });
});
