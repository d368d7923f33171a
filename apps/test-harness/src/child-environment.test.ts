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

  it('drops client mode variables, so a drill never talks to a server by accident', () => {
    const env = tauPoChildEnvironment({ PATH: '/bin', TAU_PO_SERVER: 'https://h', TAU_PO_TOKEN: 't', TAU_PO_TOKEN_FILE: 'f', TAU_PO_RUN: 'r' });
    expect(env).toEqual({ PATH: '/bin' });
  });
});
