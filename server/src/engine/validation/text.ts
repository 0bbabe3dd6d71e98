type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * Text as stored: a lone UTF-16 surrogate (what an SDK leaves when it cuts a string mid-emoji, sent as "\ud83d")
 * is replaced by U+FFFD. Repaired rather than refused: the rest of the text is worth keeping, and JSON.stringify
 * would otherwise write the lone surrogate as an escape the store refuses, failing every row beside it.
 * (Invalid UTF-8 bytes in a body are already decoded to U+FFFD when the body is read.)
 */
export function wellFormedText(text: string): string {
  return (text as WellFormedString).isWellFormed() ? text : (text as WellFormedString).toWellFormed();
}
