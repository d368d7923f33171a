import { STATE_DIR_LOCK_FILE, StateDirBusyError } from '@tau/durable-fs';
import { UnauthorizedActionError } from '@tau/rbac';
import { escapeTerminalText, formatErrorChain } from '@tau/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeControlError, HTTP_STATUS_FOR_EXIT_CODE } from './control-error-document.js';
import {
  AuthorizationDeniedError,
  AuthorizationUnavailableError,
  EXIT_CODES,
  exitCodeForError,
  RecoveryGuardrailError,
  RollbackCheckpointLoadError,
  UsageError,
} from './control-errors.js';

const busy = new StateDirBusyError(
  {
    pid: 42,
    host: 'h',
    since_unix_ms: 0,
    age_ms: 0,
    command: 'pause',
    boot_id: null,
    pid_namespace: null,
    start_time_ticks: null,
    verdict: 'alive',
    reason: 'holder-running',
    explanation: 'the holder is running',
    stale: false,
    complete: true,
  },
  `/x/${STATE_DIR_LOCK_FILE}`,
);
const denial = new UnauthorizedActionError('ci:bot', 'control:rl:pause', 'deny_unbound_principal');

describe('describeControlError', () => {
  it.each<[string, unknown, number, number]>([
    ['usage', new UsageError('two actions'), 2, 400],
    ['denied', new AuthorizationDeniedError('pause', { cause: denial }), 3, 403],
    ['policy unreadable', new AuthorizationUnavailableError('pause', { cause: new Error('bad json') }), 1, 500],
    ['guardrail', new RecoveryGuardrailError('p', 'f', { cause: new Error('both failed') }), 4, 422],
    ['busy', busy, 5, 409],
    ['rollback checkpoint', new RollbackCheckpointLoadError('c.json', { cause: new Error('x') }), 1, 500],
    ['plain error', new Error('boom'), 1, 500],
  ])('%s -> exit %i, HTTP %i', (_name, error, exitCode, status) => {
    const described = describeControlError(error);
    expect(described.exitCode).toBe(exitCode);
    expect(described.httpStatus).toBe(status);
    expect(described.document.error.exit_code).toBe(exitCode);
  });

  it('every exit code has an HTTP status, and only success is 2xx', () => {
    for (const code of Object.values(EXIT_CODES)) {
      const status = HTTP_STATUS_FOR_EXIT_CODE[code];
      expect(status >= 200 && status < 300).toBe(code === EXIT_CODES.success);
    }
  });

  it('a denial carries the reason code; nothing else does', () => {
    expect(describeControlError(new AuthorizationDeniedError('pause', { cause: denial })).document.error.reason_code).toBe(
      'deny_unbound_principal',
    );
    expect(describeControlError(new AuthorizationUnavailableError('pause', { cause: denial })).document.error).not.toHaveProperty(
      'reason_code',
    );
  });

  it('message is the CLI line (the chain joined by ": ", one line) and chain lists each message', () => {
    const message = fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r', ':', 'é') });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 4 }), (messages) => {
        const error = messages.reduceRight<Error | undefined>((cause, text) => new Error(text, { cause }), undefined);
        const { document } = describeControlError(error);
        expect(document.error.message).toBe(escapeTerminalText(formatErrorChain(error)));
        expect(document.error.message).not.toMatch(/[\r\n]/);
        expect(document.error.chain).toHaveLength(messages.filter((text) => text !== '').length);
        expect(document.error.exit_code).toBe(exitCodeForError(error));
      }),
    );
  });
});
