// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators: anything a terminal or a log
// collector may read as the end of a record, or as an escape sequence that rewrites what is on screen.
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function escapeCharacter(character: string): string {
  switch (character) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/**
 * Text from a caller (an email that failed to log in, a field of a refused item, an error that echoes input) made
 * safe for one log line: no raw newline or control character, so it cannot forge a record or restyle a terminal.
 */
export function escapeLogText(text: string): string {
  return text.replace(controlCharacters, escapeCharacter);
}

// A stack keeps its frame lines readable; any other line break (inside the message) is escaped.
const stackFrameBreak = /\n(?=[ \t]+at )/g;

export function escapeStackTrace(stack: string): string {
  return stack
    .split(stackFrameBreak)
    .map((part) => escapeLogText(part))
    .join('\n');
}
