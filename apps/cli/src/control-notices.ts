// Which of a control command's diagnostics go to stderr (pure), for local
// and client mode alike.
import { escapeTerminalText } from '@tau/schemas';

/**
 * The text line has no room for diagnostics: on a terminal they go to
 * stderr; with --json they are in the document; resume's are in its report.
 * A write that failed after the commit point (`warning: ...`) always goes to
 * stderr.
 */
export function controlStderrNotices(diagnostics: readonly string[], stderrIsTerminal: boolean): string[] {
  return diagnostics
    .filter((diagnostic) => stderrIsTerminal || diagnostic.startsWith('warning: '))
    .map((diagnostic) => escapeTerminalText(diagnostic.startsWith('warning: ') ? diagnostic : `diagnostic: ${diagnostic}`));
}
