// CLI conventions through the built bin: -v, typo suggestions, completion
// scripts run by a real bash, and the colour switches (--color, --no-color,
// FORCE_COLOR, NO_COLOR) on the one coloured output, `audit timeline`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, runTauPo } from './built-cli.js';
import { controlState, createCliWorkspace, removeCliWorkspace, tauAuditRows, writeStateDir } from './state-dir-fixture.js';

const { version } = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'package.json'), 'utf8')) as { version: string };

let workDir: string;
let stateDir: string;

beforeAll(() => {
  ({ workDir, stateDir } = createCliWorkspace());
  writeStateDir(stateDir, { controlState: controlState('running', 'resume'), auditRows: tauAuditRows(3) });
});

afterAll(() => removeCliWorkspace(workDir));

describe('-v and --version', () => {
  it.each([['-v'], ['--version']])('%s prints the version', (flag) => {
    expect(runTauPo([flag])).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('typo suggestions', () => {
  it.each([
    [['resum'], "Unknown argument: resum (did you mean 'resume'?)"],
    [['status', '--stat-dir', 'x'], "Unknown argument: stat-dir (did you mean '--state-dir'?)"],
    [['audit', 'verfy'], "Unknown argument: verfy (did you mean 'verify'?)"],
    [['completoin'], "Unknown argument: completoin (did you mean 'completion'?)"],
  ])('tau-po %j: exit 2 with a suggestion', (args, line) => {
    const run = runTauPo(args, { cwd: workDir });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toBe(line);
  });
});

describe('completion', () => {
  /** Completes `words` (the last one being typed) with the script loaded in a real bash. */
  function complete(words: string[]): string[] {
    const script = runTauPo(['completion', 'bash']);
    expect(script.status).toBe(0);
    const program = `${script.stdout}\nCOMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _tau_po_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const run = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    return run.stdout.split('\n').filter(Boolean);
  }

  it.each([
    [['tau-po', 'res'], ['resume']],
    [['tau-po', 'c'], ['cancel', 'checkpoint', 'completion']],
    [['tau-po', 'audit', 'v'], ['verify']],
    [['tau-po', 'lock', ''], ['status', 'break']],
    [['tau-po', 'status', '--st'], ['--state-dir']],
    [['tau-po', 'resume', '--dry'], ['--dry-run']],
    [['tau-po', '--prompt-optimization-control-res'], ['--prompt-optimization-control-resume']],
  ])('bash completes %j to %j', (words, expected) => {
    expect(complete(words)).toEqual(expected);
  });

  it('zsh gets the same function through bashcompinit; with no shell named, $SHELL decides', () => {
    const zsh = runTauPo(['completion', 'zsh']);
    expect(zsh.status).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef tau-po\n/);
    expect(zsh.stdout).toContain('bashcompinit');
    expect(zsh.stdout).toContain('complete -o default -F _tau_po_complete tau-po');
    expect(runTauPo(['completion'], { env: { SHELL: '/usr/bin/zsh' } }).stdout).toBe(zsh.stdout);
    expect(runTauPo(['completion'], { env: { SHELL: '/bin/bash' } }).stdout).toBe(runTauPo(['completion', 'bash']).stdout);
    expect(runTauPo(['completion', 'fish']).status).toBe(2);
  });
});

describe('colour of audit timeline (stdout is a pipe here, so colour is off unless asked)', () => {
  const ESC = '\u001b[';
  const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
  it.each([
    [[], {}, false],
    [['--color'], {}, true],
    [['--color=true'], { NO_COLOR: '1' }, true],
    [['--no-color'], { FORCE_COLOR: '1' }, false],
    [['--color=false'], { FORCE_COLOR: '1' }, false],
    [[], { FORCE_COLOR: '1' }, true],
    [[], { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
    [[], { FORCE_COLOR: '0' }, false],
    [[], { NO_COLOR: '1' }, false],
  ])('flags %j with env %j: colour %s', (flags, env, coloured) => {
    const run = runTauPo(['audit', 'timeline', '--state-dir', stateDir, ...flags], { env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.includes(ESC)).toBe(coloured);
    expect(run.stdout.replaceAll(SGR, '')).toBe(runTauPo(['audit', 'timeline', '--state-dir', stateDir]).stdout);
  });

  it('--color takes no other value', () => {
    const run = runTauPo(['audit', 'timeline', '--state-dir', stateDir, '--color=always']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--color=true, --color=false or --no-color');
  });
});
