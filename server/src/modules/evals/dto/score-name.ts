// Score names are grouped by and shown in dashboards: printable, no control characters, bounded.
export const scoreNamePattern = /^[\p{L}\p{N}][\p{L}\p{N}_.:/@ -]{0,127}$/u;
export const scoreNameRule = 'must start with a letter or digit and hold at most 128 letters, digits, spaces and _ . : / @ -';
