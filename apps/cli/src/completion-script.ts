// `tau-po completion [bash|zsh]`: a static completion script, printed for
// `eval "$(tau-po completion)"` or a file in the shell's completion directory.
// Static (the words are known at build time) rather than yargs' generated
// script, which calls tau-po back on every Tab press.
import { COMMAND_TREE, optionNames } from './command-line-vocabulary.js';

export const COMPLETION_SHELLS = ['bash', 'zsh'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** The shell to write for when none is named: zsh when $SHELL is zsh, else bash. */
export function defaultCompletionShell(shellPath: string | undefined): CompletionShell {
  return shellPath !== undefined && /(^|\/)zsh$/.test(shellPath) ? 'zsh' : 'bash';
}

/**
 * The bash function: options after `-`, commands in the first position,
 * subcommands in the second, files anywhere else (`-o default`). zsh loads
 * the same function through bashcompinit.
 */
function bashFunction(): string {
  const subcommandCases = Object.entries(COMMAND_TREE)
    .filter(([, subcommands]) => subcommands.length > 0)
    .map(([command, subcommands]) => `      ${command}) words="${subcommands.join(' ')}" ;;`)
    .join('\n');
  return `_tau_po_complete() {
  local cur words
  cur=\${COMP_WORDS[COMP_CWORD]}
  words=
  case $cur in
    -*) words="${optionNames().map((name) => `--${name}`).join(' ')}" ;;
    *)
      if [ "$COMP_CWORD" -eq 1 ]; then
        words="${Object.keys(COMMAND_TREE).join(' ')}"
      elif [ "$COMP_CWORD" -eq 2 ]; then
        case \${COMP_WORDS[1]} in
${subcommandCases}
        esac
      fi
      ;;
  esac
  COMPREPLY=()
  [ -n "$words" ] && COMPREPLY=($(compgen -W "$words" -- "$cur"))
  return 0
}
complete -o default -F _tau_po_complete tau-po
`;
}

/** The completion script for `shell`. */
export function completionScript(shell: CompletionShell): string {
  const usage = `# tau-po ${shell} completion. Load it with: eval "$(tau-po completion ${shell})"`;
  if (shell === 'bash') return `${usage}\n${bashFunction()}`.trimEnd();
  return `#compdef tau-po\n${usage}\nautoload -U +X bashcompinit && bashcompinit\n${bashFunction()}`.trimEnd();
}
